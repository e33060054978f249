"""Names derived from the feature description: its title, focus words and file names."""

import os
import re
import unicodedata

# Mirrors create-new-feature.sh's stop words, plus verbs that name the change rather than
# the thing changed, so "Implement OAuth2 login" is about "OAuth2 login".
STOP_WORDS = frozenset(
    "i a an the to for of in on at by with from is are was were be been being have has had "
    "do does did will would should could can may might must shall this that these those my "
    "your our their want need add get set and or as into via it its we you "
    "create implement build support allow enable make provide introduce fix let improve "
    "update new".split()
)


def feature_title(description):
    first_sentence = re.split(r"(?<=[.!?])\s", description, maxsplit=1)[0].rstrip(".!?")
    title = " ".join(first_sentence.split()[:12])
    return title[:1].upper() + title[1:]


def focus_words(description):
    """The first two meaningful words: what the feature is about, e.g. ["CSV", "export"]."""
    words = [
        w
        for w in re.findall(r"[^\W_]+", description)
        if w.lower() not in STOP_WORDS and (len(w) >= 3 or w.isupper())
    ]
    return words[:2] or ["feature"]


def snake(text, max_words=3):
    """An ASCII identifier for file names: "Génération PDF" -> "generation_pdf"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = [w for w in re.findall(r"[a-z0-9]+", ascii_text.lower()) if w not in STOP_WORDS]
    return "_".join(words[:max_words]) or "feature"


def package_name(feature_dir):
    # specs/001-csv-export-monthly -> csv_export_monthly (timestamp prefixes too)
    name = re.sub(r"^(\d{8}-\d{6}|\d+)-", "", os.path.basename(feature_dir.rstrip("/")))
    name = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "feature"
    return name if name[0].isalpha() else f"feature_{name}"
