#!/usr/bin/env python3
"""Writes common-passwords.txt: passwords of 12+ characters that guessing lists try first.

No list was downloaded (the build machine has no internet access). The entries are the base words that head
well-known public breach-derived lists (from memory of their top entries, English and pinyin), combined with the
suffixes people add to reach a length rule, plus generated patterns: repeated characters, digit runs, keyboard walks,
dates. Run it again to regenerate; the portal compares lower-cased, so every entry is lower case.
"""
import itertools

WORDS = """password passw0rd p@ssword p@ssw0rd qwerty qwertyuiop qwerty123 iloveyou admin administrator welcome monkey
dragon letmein football baseball basketball soccer hockey master sunshine shadow princess trustno1 superman batman
spiderman michael jennifer jessica charlie ashley daniel andrew joshua matthew thomas robert jordan hunter ranger
buster tigger pepper ginger maggie chelsea arsenal liverpool manchester barcelona starwars pokemon minecraft
computer internet google facebook whatever freedom secret changeme letmein default access login welcome1 hello
hellokitty hello123 loveme lovely flower cookie summer winter spring autumn orange banana chocolate cheese
mustang harley corvette ferrari porsche mercedes yamaha samsung iphone apple microsoft windows linux ubuntu
killer hacker ninja dragonball naruto zxcvbnm asdfghjkl qazwsx 1qaz2wsx zaq12wsx abc123 abcdef abcdefg
woaini woaini1314 woaiwojia woainima aini1314 5201314 1314520 521521 wangyi zhangwei wangwei liwei liuyang
zhang wang li liu chen yang huang zhao zhou xiaoming xiaohong laopo laogong baobei beijing shanghai shenzhen
guangzhou hangzhou china zhongguo taobao alibaba tencent baidu weixin qq123456 qqqqqq aaaaaa admin888 888888
666666 168168 147258 159357 123qwe qweasd qweasdzxc asdasd zxczxc caonima nihao nihaoma shijie xingfu kuaile
merchant portal merchantportal company business office manager support service customer shop store order
""".split()

SUFFIXES = ["", "1", "12", "123", "1234", "12345", "123456", "1234567", "12345678", "123456789", "!", "1!", "12!",
            "123!", "1234!", "@123", "#123", "@2024", "@2025", "@2026", "2020", "2021", "2022", "2023", "2024", "2025",
            "2026", "88", "666", "888", "520", "1314", "5201314", "01", "007", "69", "99", "000", "111", "!!", "!@#",
            "!@#$", "123456!", "_123", ".123"]

KEYBOARD = ["qwertyuiop", "asdfghjkl", "zxcvbnm", "1qaz2wsx3edc4rfv", "zaq12wsxcde3", "qazwsxedcrfv",
            "1q2w3e4r5t6y", "q1w2e3r4t5y6", "1qaz2wsx3edc", "qwertyuiopasdfghjkl", "qweasdzxcqweasdzxc",
            "asdfghjklqwertyuiop", "!qaz@wsx#edc", "1q2w3e4r5t6y7u8i", "qwerasdfzxcv", "poiuytrewq",
            "mnbvcxz", "lkjhgfdsa", "qwertyqwerty", "asdfasdfasdf", "zxcvzxcvzxcv", "1234qwerasdf",
            "qwer1234asdf", "abcd1234efgh", "q1w2e3r4q1w2e3r4", "1a2b3c4d5e6f", "a1b2c3d4e5f6"]

def candidates():
    for word in WORDS:
        for suffix in SUFFIXES:
            yield word + suffix
            yield word.capitalize() + suffix
        yield word * 2
        yield word * 3
    for first, second in itertools.permutations(["password", "qwerty", "admin", "welcome", "iloveyou", "letmein", "monkey", "dragon", "woaini"], 2):
        yield first + second
    for walk in KEYBOARD:
        for suffix in ["", "1", "123", "!", "1234"]:
            yield walk + suffix
    digits = "12345678901234567890"
    for start in range(10):
        for length in range(12, 21):
            yield digits[start:start + length]
    for length in range(12, 21):
        yield "".join(str(9 - i % 10) for i in range(length))            # 9876543210…
        yield "abcdefghijklmnopqrstuvwxyz"[:length]
        yield "zyxwvutsrqponmlkjihgfedcba"[:length]
        for ch in "abcdefghijklmnopqrstuvwxyz0123456789!@#*.":
            yield ch * length
        for unit in ["12", "123", "1234", "ab", "abc", "abcd", "qwe", "asd", "zxc", "01", "520", "1314", "aa", "a1", "1a"]:
            yield (unit * length)[:length]
    for year in range(1950, 2027):
        for month in range(1, 13):
            yield f"{year}{month:02d}{year}"[:12]
            yield f"{year}{month:02d}01{year % 100:02d}"
    for word in WORDS:
        for year in range(1980, 2027):
            yield f"{word}{year}"

def main():
    seen = sorted({c.lower() for c in candidates() if 12 <= len(c) <= 64})
    with open("common-passwords.txt", "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(seen) + "\n")
    print(len(seen))

main()
