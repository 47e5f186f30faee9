def test_login_page_is_in_vietnamese(client):
    response = client.get("/auth/login")
    assert response.status_code == 200
    assert "Đăng nhập" in response.text
