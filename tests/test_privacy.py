import unicodedata

from onestop.privacy import mask_name


def test_family_name_is_kept_and_other_words_become_initials():
    assert mask_name("Nguyễn Văn An") == "Nguyễn V. A."
    assert mask_name("Tôn Nữ Thị Ánh Ngọc") == "Tôn N. T. Á. N."


def test_initials_keep_vietnamese_letters():
    assert mask_name("Trần Đức Ân") == "Trần Đ. Â."


def test_a_single_word_is_shown_as_it_is():
    assert mask_name("Mai") == "Mai"


def test_extra_spaces_are_ignored():
    assert mask_name("  Lê   thị \t Hồng  ") == "Lê T. H."


def test_decomposed_input_gives_whole_letters():
    decomposed = unicodedata.normalize("NFD", "Phạm Ánh Dương")
    assert mask_name(decomposed) == unicodedata.normalize("NFC", "Phạm Á. D.")


def test_organisations_are_shown_unmasked():
    name = "Công ty TNHH Xây dựng Quảng Thọ"
    assert mask_name(name, is_organisation=True) == name


def test_an_empty_name_stays_empty():
    assert mask_name("") == ""
    assert mask_name("   ") == ""


def test_quotes_around_a_word_do_not_become_the_initial():
    assert mask_name('Hoàng "Bé" Na') == "Hoàng B. N."
