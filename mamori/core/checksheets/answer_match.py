"""Which answer of the vendor's answer library answers a principal's question, computed locally.

A principal's check sheet asks the same things in its own words. Each question is compared with
every question of the library by the cosine of character n-gram TF-IDF vectors (bigrams and
trigrams of the NFKC-normalised text, with spaces, punctuation and the polite question endings
removed; a few common synonyms folded first), so no external service and no word splitter is needed
for Japanese.

A standards mapping can be plugged in (:func:`propose` ``labels``): for each text the items it
evidences (``{"PPC 10-3", "IPA 5"}``). A question and a library entry that evidence the same items
get a bonus of :data:`LABEL_WEIGHT` times the Jaccard overlap of their items; without a mapping,
text similarity alone decides.

The confidence is the score of the best match: :data:`HIGH` and above is ``high``, :data:`LOW`
and above ``medium``, anything below ``low``; under :data:`MINIMUM` nothing is proposed.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

NGRAMS = (2, 3)
HIGH = 0.45
LOW = 0.25
MINIMUM = 0.1
LABEL_WEIGHT = 0.3

# Folded to one spelling before the n-grams: the same thing said in the words companies use.
SYNONYMS: tuple[tuple[str, str], ...] = (
    ("従業員", "従業者"),
    ("社員", "従業者"),
    ("職員", "従業者"),
    ("スタッフ", "従業者"),
    ("個人情報", "個人データ"),
    ("パーソナルデータ", "個人データ"),
    ("漏洩", "漏えい"),
    ("漏れ", "漏えい"),
    ("情報流出", "漏えい"),
    ("インシデント", "漏えい等"),
    ("事故", "漏えい"),
    ("トレーニング", "研修"),
    ("教育", "研修"),
    ("外部委託", "再委託"),
    ("委託元", "当社"),
    ("弊社", "当社"),
    ("貴社", ""),
    ("御社", ""),
    ("マルウェア", "ウイルス"),
    ("アンチウイルス", "ウイルス対策ソフト"),
    ("ワクチンソフト", "ウイルス対策ソフト"),
    ("二要素認証", "多要素認証"),
    ("2要素認証", "多要素認証"),
    ("2段階認証", "多要素認証"),
    ("二段階認証", "多要素認証"),
    ("mfa", "多要素認証"),
    ("ログイン履歴", "アクセスログ"),
    ("操作ログ", "アクセスログ"),
    ("鍵のかかる", "施錠"),
    ("鍵付き", "施錠"),
    ("破棄", "廃棄"),
    ("処分", "廃棄"),
    ("暗号化", "暗号"),
    ("nda", "秘密保持"),
    ("守秘義務", "秘密保持"),
    ("機密保持", "秘密保持"),
    ("誓約書", "誓約"),
    ("入館", "入退室"),
    ("入退館", "入退室"),
    ("管理者", "責任者"),
    ("プライバシーポリシー", "基本方針"),
    ("個人データ保護方針", "基本方針"),
    ("保護方針", "基本方針"),
    ("最新版", "最新"),
    ("毎年", "定期的"),
    ("年1回以上", "定期的"),
    ("アップデート", "最新"),
    ("パッチ", "最新"),
    ("承認", "承諾"),
    ("許可", "承諾"),
    ("外国", "海外"),
    ("国外", "海外"),
)
# The endings of a polite question say nothing about its subject.
_ENDINGS = re.compile(
    r"(して|されて|しておりますか|しております|して)?(いますか|いるか|ありますか|ますか|でしょうか|ですか|か)$"
)
_DROP = re.compile(
    r"[\s\u3000、。・，．,.!?！？:：;；「」『』（）()［］\[\]【】〔〕<>＜＞\"'“”‘’/／\-‐―ー－~〜…]+"
)


def normalise(text: str) -> str:
    """NFKC, lower case, synonyms folded, punctuation and spaces and the question ending removed."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    for word, same in SYNONYMS:
        if word in text:
            text = text.replace(word, same)
    text = _DROP.sub("", text)
    return _ENDINGS.sub("", text)


def grams(text: str) -> Counter[str]:
    """Character bigrams and trigrams of the normalised text (the text itself when shorter)."""
    t = normalise(text)
    out: Counter[str] = Counter()
    for n in NGRAMS:
        out.update(t[i : i + n] for i in range(len(t) - n + 1))
    if not out and t:
        out[t] += 1
    return out


@dataclass(frozen=True)
class Entry:
    """A library question: its key and its text (and other wordings of it, if any)."""

    key: str
    text: str
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class Proposal:
    """The best library entry for one question (``key`` None when nothing is close enough), its
    score in 0..1 and the confidence word; ``runner_up`` is the second best key."""

    key: str | None
    score: float
    confidence: str
    runner_up: str | None = None


def confidence(score: float) -> str:
    return "high" if score >= HIGH else "medium" if score >= LOW else "low"


def _vector(counts: Counter[str], idf: Mapping[str, float]) -> dict[str, float]:
    vec = {g: (1 + math.log(c)) * idf.get(g, 0.0) for g, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {g: v / norm for g, v in vec.items()} if norm else {}


def _cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(g, 0.0) for g, v in a.items())


def _jaccard(a: Iterable[str], b: Iterable[str]) -> float:
    sa, sb = set(a), set(b)
    return len(sa & sb) / len(sa | sb) if sa and sb else 0.0


def propose(
    questions: list[str],
    library: list[Entry],
    labels: Mapping[str, Iterable[str]] | None = None,
) -> list[Proposal]:
    """A proposal for each of ``questions`` (in order) from ``library``.

    ``labels`` is the optional standards mapping: text or library key -> the standard items it
    evidences. The inverse document frequencies come from the library and the questions together,
    so words every question shares (個人データ, 管理) weigh little."""
    lib_counts = [grams(" ".join((e.text, *e.also))) for e in library]
    q_counts = [grams(q) for q in questions]
    docs = lib_counts + q_counts
    df: Counter[str] = Counter()
    for c in docs:
        df.update(c.keys())
    n = len(docs) or 1
    idf = {g: math.log((1 + n) / (1 + d)) + 1 for g, d in df.items()}
    lib_vecs = [_vector(c, idf) for c in lib_counts]
    labels = labels or {}
    out = []
    for text, counts in zip(questions, q_counts, strict=True):
        vec = _vector(counts, idf)
        q_labels = labels.get(text, ())
        scored = []
        for entry, lvec in zip(library, lib_vecs, strict=True):
            score = _cosine(vec, lvec)
            if q_labels:
                e_labels = labels.get(entry.key) or labels.get(entry.text) or ()
                score = (score + LABEL_WEIGHT * _jaccard(q_labels, e_labels)) / (1 + LABEL_WEIGHT)
            scored.append((score, entry.key))
        scored.sort(key=lambda s: (-s[0], s[1]))
        if not scored or scored[0][0] < MINIMUM:
            best = scored[0][0] if scored else 0.0
            out.append(Proposal(None, round(best, 3), "low", scored[0][1] if scored else None))
            continue
        top, key = scored[0]
        runner = scored[1][1] if len(scored) > 1 else None
        out.append(Proposal(key, round(top, 3), confidence(top), runner))
    return out


# The self-assessment's questions that ask what a question of the standard built-in sheet asks
# (written by us, from the texts in :mod:`mamori.core.checksheets.builtin`). The library keeps one
# entry for both, with the self-assessment's wording as another wording; the self-assessment's
# other questions become entries of their own.
SELF_SAME_AS: dict[str, str] = {
    "m1": "p1",
    "m2": "o1",
    "m3": "o6",
    "m4": "o3",
    "e1": "h1",
    "e2": "h2",
    "e3": "t9",
    "n1": "t4",
    "n2": "t4",
    "n3": "t2",
    "n5": "t7",
    "d1": "t8",
    "d2": "f2",
    "d3": "o4",
    "d4": "f4",
}
# Only questions answered はい／一部／いいえ／該当なし belong in the library.
NOT_IN_LIBRARY = frozenset({"c2", "c3"})
# When two self-assessment answers feed one entry, the weaker one holds (no claim beyond the facts).
_STRENGTH = {"no": 0, "partial": 1, "yes": 2, "na": 3}


def canonical(
    standard: list, self_sections: list, self_answers: Mapping[str, Mapping] | None = None
) -> list[dict]:
    """The library's canonical questions from the built-in sheets' ``(title, rows)`` sections:
    ``{"key", "section", "question", "also", "value", "remark", "source"}``, answered from the
    self-assessment's ``{key: {"value", "remark"}}`` where it has the answer."""
    self_answers = self_answers or {}
    self_text = {key: text for _t, rows in self_sections for key, text, *_ in rows}
    also: dict[str, list[str]] = {}
    fed: dict[str, list[str]] = {}
    for skey, target in SELF_SAME_AS.items():
        also.setdefault(target, []).append(self_text[skey])
        fed.setdefault(target, []).append(skey)
    out = []

    def answer(keys: list[str]) -> tuple[str, str]:
        given = [(k, self_answers[k]) for k in keys if (self_answers.get(k) or {}).get("value") in _STRENGTH]
        if not given:
            return "", ""
        _k, a = min(given, key=lambda kv: _STRENGTH[kv[1]["value"]])
        return a["value"], str(a.get("remark") or "")

    for title, rows in standard:
        for key, text, *_rest in rows:
            if key in NOT_IN_LIBRARY:
                continue
            value, remark = answer(fed.get(key, []))
            out.append(
                {
                    "key": key,
                    "section": title,
                    "question": text,
                    "also": also.get(key, []),
                    "value": value,
                    "remark": remark,
                    "source": "self" if value else "builtin",
                }
            )
    for title, rows in self_sections:
        for key, text, *_rest in rows:
            if key in SELF_SAME_AS:
                continue
            value, remark = answer([key])
            out.append(
                {
                    "key": key,
                    "section": title,
                    "question": text,
                    "also": [],
                    "value": value,
                    "remark": remark,
                    "source": "self",
                }
            )
    return out
