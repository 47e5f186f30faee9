"""Numbers said in Vietnamese, for the lobby's spoken call: 15 → mười lăm, 21 → hai mươi mốt, 105 → một trăm linh năm."""

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
# How the lobby's loudspeaker should say a service letter: its Vietnamese name, not the English one.
LETTER_NAMES = {"A": "A", "B": "bê", "C": "xê", "D": "dê", "Đ": "đê", "E": "e", "G": "giê", "H": "hát", "I": "i",
                "K": "ca", "L": "e lờ", "M": "em mờ", "N": "en nờ", "O": "o", "P": "pê", "Q": "quy", "R": "e rờ",
                "S": "ét xì", "T": "tê", "U": "u", "V": "vê", "X": "ích xì", "Y": "i dài"}


def _below_hundred(number: int) -> str:
    tens, unit = divmod(number, 10)
    if tens == 0:
        return DIGITS[unit]
    head = "mười" if tens == 1 else f"{DIGITS[tens]} mươi"
    if unit == 0:
        return head
    if unit == 5:
        tail = "lăm"  # mười lăm, hai mươi lăm
    elif unit == 1 and tens > 1:
        tail = "mốt"  # hai mươi mốt, but mười một
    else:
        tail = DIGITS[unit]
    return f"{head} {tail}"


def _below_thousand(number: int, *, inner: bool) -> str:
    hundreds, rest = divmod(number, 100)
    if hundreds == 0 and not inner:
        return _below_hundred(rest)
    head = f"{DIGITS[hundreds]} trăm"
    if rest == 0:
        return head
    if rest < 10:
        return f"{head} linh {DIGITS[rest]}"  # một trăm linh năm
    return f"{head} {_below_hundred(rest)}"


def say(number: int) -> str:
    """The number in words, 0 to 999 999."""
    if not 0 <= number < 1_000_000:
        raise ValueError(number)
    thousands, rest = divmod(number, 1000)
    if thousands == 0:
        return _below_thousand(rest, inner=False)
    head = f"{_below_thousand(thousands, inner=False)} nghìn"
    if rest == 0:
        return head
    return f"{head} {_below_thousand(rest, inner=True)}"


def call_phrase(number: str, counter: int, *, spoken: bool = False) -> str:
    """"Mời số A mười lăm đến quầy số hai"; spoken=True names the letter as Vietnamese says it (bê, xê …)."""
    letter, digits = number[:1], number[1:]
    letter_text = LETTER_NAMES.get(letter, letter) if spoken else letter
    return f"Mời số {letter_text} {say(int(digits))} đến quầy số {say(counter)}"
