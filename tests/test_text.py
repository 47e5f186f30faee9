import unicodedata

from onestop.text import fold


def test_case_and_accents_do_not_matter():
    keys = {fold(text) for text in ("Khai Sinh", "khai sinh", "KHAI SINH", "khai   sinh ", "Khải Sính")}
    assert keys == {"khai sinh"}


def test_d_with_stroke_folds_to_d():
    assert fold("Đăng ký khai sinh") == "dang ky khai sinh"
    assert fold("đất đai") == "dat dai"


def test_a_typed_word_is_found_inside_a_procedure_name():
    assert fold("khai sinh") in fold("Đăng ký khai sinh")


def test_decomposed_and_composed_input_give_the_same_key():
    name = "Chứng thực bản sao từ bản chính"
    assert fold(unicodedata.normalize("NFD", name)) == fold(name) == "chung thuc ban sao tu ban chinh"


def test_line_breaks_and_tabs_become_single_spaces():
    assert fold("  Hộ\ttịch\n\nHÔN NHÂN ") == "ho tich hon nhan"


def test_codes_keep_their_digits_and_dots():
    assert fold("1.001193") == "1.001193"
