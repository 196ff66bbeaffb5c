"""Generate the sample rosters in ``data/samples/`` (seeded, byte-for-byte reproducible).

Run from the repository root::

    python scripts/make_samples.py

Four samples are written, each a folder with ``mentors.csv``, ``mentees.csv``,
``rules.toml`` and ``README.md``:

``yinchuan``
    A Yinchuan-like (银川市) city pilot with a three-tier mentor bank (市县乡三级导师库):
    483 mentors (398 persons in five sources plus 85 mentor party organisations,
    导师党组织) and 600 mentees in the six Yinchuan categories plus 40 weak village party
    organisations (薄弱党组织), across the six real districts/counties and their real
    townships. Hard rules: same county, <= 60 km, >= 1 shared domain, mentor rating above
    mentee rating, different village. Also ``fixed.csv`` (5 organisation-designated pairs,
    组织统筹) and ``forbidden.csv`` (10 vetoed pairs, 回避 / 双向自愿), both checked here.
``fushan``
    浮山县 (Shanxi): 30 sent cadres (选派干部 / 驻村第一书记) in 20 villages of 5 townships, each
    needing exactly one practice mentor (实践导师) from their own township's bank. Written
    with Chinese column headers; ``rules.toml`` maps them to the canonical names.
``fanxian``
    范县 (Henan): 150 village party secretaries (村党组织书记) and 77 veteran mentors
    (老乡镇 / 老支书) with capacity 2 each, paired within 25 km.
``villages``
    平罗县 (Ningxia), 13 townships, 200 villages (also written whole as ``villages.csv``):
    40 strong villages (star >= 4, collective income >= 20 万) paired with 30 weak ones
    (软弱涣散 / 集体经济薄弱) for 结对共建 (<= 15 km, strength margin 10, shared industries
    preferred, 一带一 / 一带二); the README also poses 跨村任职 for the six weakest villages.

Everything is synthetic. Township names and their approximate centres are real (hand-placed
from maps, good to a few km; city/county-tier mentors sit at the county seat); villages,
their positions, units, ratings, domains and people are invented. **Every person name is
synthetic**: a common surname joined to one or two common given-name characters, drawn at
random, with a small blocklist of well-known public figures removed. Any resemblance to a
real person is coincidental. Village names are invented the same way (a surname or
descriptive character + a place-type character + 村).

Determinism: each sample has its own ``numpy.random.default_rng`` seed; nothing depends on
the clock, the locale or dict/set ordering; rows are sorted by id; CSVs are UTF-8 with
``\\n`` line endings and fixed float formatting. The script also re-reads what it wrote and
checks it (ids, ranges, candidate coverage, capacity vs demand, fixed/forbidden pairs).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_flow

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "samples"

# --------------------------------------------------------------------------------------
# vocabularies
# --------------------------------------------------------------------------------------

TAGS = np.array(
    [
        "产业发展",
        "基层治理",
        "党建",
        "乡村规划",
        "电商",
        "农业技术",
        "集体经济",
        "群众工作",
        "矛盾调解",
        "人居环境",
    ]
)
TYPES = np.array(["专家型", "经验型", "群众型"])
TIERS = ["city", "county", "township"]

SURNAMES = np.array(
    list(
        "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕"
        "丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史郝海纳武常康牛贺"
    )
)
# the ten most common surnames are drawn three times as often as the rest
_SURNAME_W = np.where(np.arange(SURNAMES.size) < 10, 3.0, 1.0)
GIVEN = np.array(
    list(
        dict.fromkeys(
            "建国华明军伟强磊芳丽娟敏静秀英霞平刚勇杰涛斌辉鹏宇浩凯俊峰超波春红玉兰梅燕林文志永德富成福生学忠"
            "新荣胜利宏亮晓雪婷琳慧佳欣悦晨阳瑞博嘉子怡萍琴丹蕾洁彬毅鑫昊航东海云庆喜顺贵宝山田翠莲凤"
        )
    )
)
# well-known public figures whose names these pools could produce: never emitted
BLOCKLIST = frozenset(
    "李强 王毅 王刚 李鹏 姚明 李宁 张杰 马云 马龙 王楠 丁宁 朱婷 刘德华 王宝强 杨利伟 雷军 刘强东 张勇 "
    "宋丹丹 周涛 朱军 李宇春 黄晓明 刘涛 陈建斌 王志文 刘晓庆 韩红 蔡国庆 许海峰 王军霞 马琳 王涛 陈静 "
    "王勇 王晨 孙春兰 胡春华 李国英 张艺 王峰 李明".split()
)

DESCRIPTIVE = np.array(list("东西南北新高红金丰富兴永平安清和光沙柳杨梨枣杏桃庙双三五先胜利团"))


def alloc(total: int, weights) -> np.ndarray:
    """Largest-remainder split of ``total`` into integers proportional to ``weights``."""
    w = np.asarray(weights, dtype=float)
    q = total * w / w.sum()
    base = np.floor(q).astype(int)
    order = np.argsort(-(q - base), kind="stable")
    base[order[: total - base.sum()]] += 1
    return base


def haversine_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle distance in km (broadcasting)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(lon2) - np.radians(lon1)
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.sqrt(a))


def scatter(rng, lat, lon, max_km: float):
    """Points uniform in a disc of radius ``max_km`` around each centre."""
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    r = max_km * np.sqrt(rng.random(lat.size))
    theta = rng.random(lat.size) * 2 * np.pi
    dlat = r * np.cos(theta) / 111.32
    dlon = r * np.sin(theta) / (111.32 * np.cos(np.radians(lat)))
    return lat + dlat, lon + dlon


def fmt(values, digits: int) -> tuple[np.ndarray, np.ndarray]:
    """Format floats with ``digits`` decimals; also return the values as a reader sees them."""
    text = np.char.mod(f"%.{digits}f", np.asarray(values, dtype=float))
    return text, text.astype(float)


def rating(rng, n: int, mean, sd, lo, hi) -> np.ndarray:
    """Normal ratings clipped to [lo, hi], rounded to one decimal (as written to CSV)."""
    raw = np.clip(rng.normal(mean, sd, size=n), lo, hi)
    return fmt(raw, 1)[1]


def sample_tags(
    rng, weights: np.ndarray, k: np.ndarray, vocab: np.ndarray = TAGS
) -> tuple[np.ndarray, np.ndarray]:
    """Draw ``k[i]`` distinct tags per row from ``vocab``, weighted (Gumbel top-k).

    Returns the ``;``-joined strings (tags in vocabulary order) and bit masks.
    """
    n = weights.shape[0]
    keys = np.log(weights) + rng.gumbel(size=weights.shape)
    order = np.argsort(-keys, axis=1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.broadcast_to(np.arange(vocab.size), order.shape), axis=1)
    chosen = ranks < np.asarray(k)[:, None]
    text = np.full(n, "", dtype=object)
    for j, tag in enumerate(vocab):
        text = text + np.where(chosen[:, j], tag + ";", "")
    text = pd.Series(text, dtype=object).str[:-1].to_numpy(dtype=object)  # trailing ';'
    mask = chosen.astype(np.int64) @ (1 << np.arange(vocab.size, dtype=np.int64))
    return text, mask


def tag_mask(col: pd.Series, vocab: np.ndarray = TAGS) -> np.ndarray:
    """Bit masks from a ``;``-separated tag column (used when re-reading files)."""
    mask = np.zeros(len(col), dtype=np.int64)
    filled = col.fillna("").astype(str)
    for j, tag in enumerate(vocab):
        has = filled.str.contains(tag, regex=False).to_numpy(dtype=bool)  # no tag nests in another
        mask |= np.where(has, 1 << j, 0)
    return mask


def make_names(rng, n: int, taken: set[str]) -> np.ndarray:
    """``n`` distinct synthetic person names (surname + 1 or 2 given-name characters)."""
    m = 3 * n + 50
    s = rng.choice(SURNAMES, m, p=_SURNAME_W / _SURNAME_W.sum())
    g1 = rng.choice(GIVEN, m)
    g2 = rng.choice(GIVEN, m)
    two = rng.random(m) < 0.72
    names = pd.Series(np.char.add(np.char.add(s, g1), np.where(two, g2, "")))
    ok = ~names.isin(BLOCKLIST) & ~names.isin(taken) & (names.str[1] != names.str[2])
    names = names[ok].drop_duplicates()
    assert len(names) >= n, "name pool exhausted"
    out = names.to_numpy(dtype=object)[:n]
    taken.update(out)
    return out


def make_village_names(
    rng, n: int, places: str, surname_places: str, taken: set[str]
) -> np.ndarray:
    """``n`` distinct invented village names: prefix + place character + 村."""
    m = 4 * n + 50
    place = rng.choice(np.array(list(places)), m)
    by_surname = np.isin(place, list(surname_places))
    prefix = np.where(by_surname, rng.choice(SURNAMES[:60], m), rng.choice(DESCRIPTIVE, m))
    names = pd.Series(np.char.add(np.char.add(prefix, place), "村"))
    names = names[~names.isin(taken)].drop_duplicates()
    assert len(names) >= n, "village-name pool exhausted"
    out = names.to_numpy(dtype=object)[:n]
    taken.update(out)
    return out


def build_villages(rng, townships: pd.DataFrame, counts, places, surname_places, taken):
    """One row per village: the township's columns plus village name and coordinates."""
    counts = np.asarray(counts)
    v = townships.loc[townships.index.repeat(counts)].reset_index(drop=True)
    v["village"] = make_village_names(rng, len(v), places, surname_places, taken)
    lat, lon = scatter(rng, v["t_lat"], v["t_lon"], 5.0)
    v["lat"] = fmt(lat, 5)[1]
    v["lon"] = fmt(lon, 5)[1]
    return v


def write_csv(df: pd.DataFrame, path: Path, float_cols: dict[str, int]) -> None:
    out = df.copy()
    for col, digits in float_cols.items():
        out[col] = fmt(out[col].to_numpy(dtype=float), digits)[0]
    out.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8", newline="\n")


def md_table(df: pd.DataFrame) -> str:
    cols = [str(c) for c in df.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(str(x) for x in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join(lines)


def max_flow_filled(cand: np.ndarray, cap: np.ndarray, need: np.ndarray) -> np.ndarray:
    """Most demand slots each mentee can get at once (source→mentor→mentee→sink max flow)."""
    n_m, n_e = cand.shape
    src, sink = 0, 1 + n_m + n_e
    mi, ei = np.nonzero(cand)
    rows = np.concatenate([np.zeros(n_m, int), 1 + mi, 1 + n_m + np.arange(n_e)])
    cols = np.concatenate([1 + np.arange(n_m), 1 + n_m + ei, np.full(n_e, sink)])
    caps = np.concatenate([cap, np.ones(mi.size, int), need]).astype(np.int32)
    g = csr_matrix((caps, (rows, cols)), shape=(sink + 1, sink + 1))
    flow = maximum_flow(g, src, sink).flow.tocsr()
    return np.asarray(flow[1 + n_m + np.arange(n_e), sink].todense()).ravel()


def read_back(folder: Path, **kw) -> tuple[pd.DataFrame, pd.DataFrame]:
    m = pd.read_csv(folder / "mentors.csv", encoding="utf-8", **kw)
    e = pd.read_csv(folder / "mentees.csv", encoding="utf-8", **kw)
    return m, e


# --------------------------------------------------------------------------------------
# yinchuan
# --------------------------------------------------------------------------------------

# county: (seat lat, seat lon), townships with approximate real centres.
YC_COUNTIES = {
    "兴庆区": (
        (38.474, 106.288),
        [
            ("掌政镇", 38.460, 106.380),
            ("大新镇", 38.510, 106.330),
            ("通贵乡", 38.385, 106.440),
            ("月牙湖乡", 38.370, 106.570),
        ],
    ),
    "金凤区": ((38.473, 106.243), [("良田镇", 38.420, 106.230), ("丰登镇", 38.540, 106.200)]),
    "西夏区": ((38.492, 106.161), [("兴泾镇", 38.390, 106.070), ("镇北堡镇", 38.620, 106.060)]),
    "永宁县": (
        (38.277, 106.253),
        [
            ("杨和镇", 38.280, 106.250),
            ("李俊镇", 38.210, 106.200),
            ("望远镇", 38.380, 106.270),
            ("望洪镇", 38.190, 106.270),
            ("闽宁镇", 38.260, 106.030),
            ("胜利乡", 38.300, 106.310),
        ],
    ),
    "贺兰县": (
        (38.554, 106.350),
        [
            ("习岗镇", 38.550, 106.350),
            ("金贵镇", 38.560, 106.440),
            ("立岗镇", 38.640, 106.380),
            ("洪广镇", 38.700, 106.250),
            ("常信乡", 38.620, 106.460),
        ],
    ),
    "灵武市": (
        (38.103, 106.340),
        [
            ("郝家桥镇", 38.040, 106.280),
            ("崇兴镇", 38.160, 106.350),
            ("宁东镇", 38.110, 106.600),
            ("马家滩镇", 37.800, 106.570),
            ("临河镇", 38.300, 106.430),
            ("梧桐树乡", 38.020, 106.330),
            ("白土岗乡", 37.950, 106.470),
        ],
    ),
}
# relative mentor supply per county (1 = city average): 灵武市 is made tight on purpose
YC_SUPPLY = {
    "兴庆区": 1.0,
    "金凤区": 1.0,
    "西夏区": 0.65,
    "永宁县": 1.0,
    "贺兰县": 1.0,
    "灵武市": 0.62,
}

#          产业 治理 党建 规划 电商 农技 集体 群众 调解 人居
YC_SOURCES = {
    # source: (counts by tier city/county/township, type probs, rating mean, tag weights)
    "老乡镇": ((0, 35, 98), (0.15, 0.65, 0.20), 4.0, [2, 5, 3, 2, 0.5, 1, 1.5, 5, 4, 1.5]),
    "优秀村书记": ((0, 15, 82), (0.20, 0.50, 0.30), 4.1, [4, 3, 3, 1.5, 1, 2, 5, 3, 2, 3]),
    "致富能人": ((5, 15, 24), (0.70, 0.20, 0.10), 4.0, [6, 0.5, 0.5, 1, 5, 5, 3, 1, 0.3, 0.5]),
    "劳动模范": ((10, 20, 44), (0.15, 0.25, 0.60), 4.1, [3, 1.5, 3, 0.5, 1, 4, 1.5, 5, 2, 2]),
    "机关干部": ((25, 25, 0), (0.50, 0.35, 0.15), 4.2, [3, 4, 5, 4, 1.5, 1.5, 2, 2, 2, 3]),
    "导师党组织": ((0, 0, 85), (0.30, 0.40, 0.30), 4.2, [5, 2, 5, 2, 2, 2, 5, 2, 1, 4]),
}
YC_CATEGORIES = {
    # category: (count, level, rating mean, sd, priority, tag weights)
    "新到乡镇年轻干部": (115, "township", 2.2, 0.5, 3, [1, 4, 2, 1, 1, 1, 0.5, 5, 3, 1]),
    "驻村工作队员": (95, "village", 2.6, 0.5, 3, [5, 1, 1, 3, 3, 3, 3, 3, 0.5, 2]),
    "软弱涣散村书记": (65, "village", 1.9, 0.5, 1, [2, 4, 6, 1, 0.5, 1, 4, 2, 3, 1.5]),
    "新任乡镇领导": (50, "township", 3.2, 0.4, 2, [4, 5, 2, 4, 1, 1, 2, 2, 2, 2]),
    "新任村书记": (120, "village", 2.5, 0.5, 2, [4, 2, 4, 1, 1.5, 2, 5, 2, 1.5, 3]),
    "乡镇年轻干部": (115, "township", 2.8, 0.5, 3, [2, 2, 1.5, 2, 4, 3, 1, 4, 2, 2]),
    "薄弱党组织": (40, "village", 1.7, 0.5, 1, [3, 1, 6, 0.5, 0.5, 1, 6, 1, 1, 2]),
}
YC_AGENCIES = np.array(
    [
        "委组织部",
        "农业农村局",
        "乡村振兴局",
        "民政局",
        "委党校",
        "自然资源局",
        "商务局",
        "信访局",
        "委政法委",
        "住房和城乡建设局",
    ]
)
# enterprise/cooperative name endings for 致富能人 (industry + a form that fits it)
YC_ENTERPRISES = np.array(
    [
        f"{i}{f}"
        for i in ["枸杞", "葡萄", "蔬菜", "水稻", "西瓜", "菌菇", "红枣"]
        for f in ["种植专业合作社", "种植基地", "家庭农场"]
    ]
    + [f"{i}{f}" for i in ["滩羊", "奶牛", "肉牛", "水产"] for f in ["养殖专业合作社", "养殖场"]]
    + ["葡萄酒庄", "农产品电商服务站", "农业科技有限公司"]
)
YC_RULES = """\
# 银川市 导师帮带 试点: 县内结对、60公里内、领域相近、以强带弱、同村回避；多对多，重点对象配2名导师。
# Yinchuan city pilot: same county, <= 60 km, >= 1 shared domain, mentor rated above mentee,
# never the same village; many-to-many (key mentees need 2 mentors); unmatched allowed.

[pairing]
shape = "many_to_many"
capacity = "capacity"
mentors_per_mentee = "mentors_required"
unmatched = "allow"

[[require]]
rule = "same_region"
level = "county"

[[require]]
rule = "max_distance"
km = 60

[[require]]
rule = "shares_domain"
min_shared = 1

[[require]]
rule = "stronger"
by = "rating"

[[require]]
rule = "avoid_same"
column = "village"

[[prefer]]
score = "domain_fit"
weight = 3

[[prefer]]
score = "closeness"
weight = 1
scale_km = 30

[[prefer]]
score = "strong_to_weak"
by = "rating"
weight = 1

[files]
fixed = "fixed.csv"
forbidden = "forbidden.csv"
"""
YC_FORBID_REASONS = np.array(
    [
        "回避：亲属关系",
        "双向自愿：帮带对象不同意",
        "回避：现任直接上下级",
        "双向自愿：导师不同意",
        "曾结对帮带，不重复结对",
    ]
)


def yc_geography(rng, taken_villages):
    rows = [
        (c, ci, seat[0], seat[1], t, ti, tlat, tlon)
        for ci, (c, (seat, towns)) in enumerate(YC_COUNTIES.items())
        for ti, (t, tlat, tlon) in enumerate(towns)
    ]
    towns = pd.DataFrame(
        rows, columns=["county", "c_idx", "c_lat", "c_lon", "township", "t_idx", "t_lat", "t_lon"]
    )
    small = towns.groupby("county")["township"].transform("size").to_numpy() <= 2
    counts = np.where(small, rng.integers(13, 16, len(towns)), rng.integers(10, 16, len(towns)))
    villages = build_villages(
        rng, towns, counts, "家庄渠闸堡湖滩湾桥营园井", "家庄营", taken_villages
    )
    return towns, villages


def yinchuan(folder: Path) -> None:
    rng = np.random.default_rng(20210723)
    taken_names: set[str] = set()
    taken_villages: set[str] = set()
    towns, vil = yc_geography(rng, taken_villages)
    counties = list(YC_COUNTIES)
    n_vil_c = vil.groupby("county", sort=False).size().reindex(counties).to_numpy()
    seats = {c: YC_COUNTIES[c][0] for c in counties}

    # ---- how many of each group go to each county --------------------------------
    mentee_w = n_vil_c
    mentor_w = n_vil_c * np.array([YC_SUPPLY[c] for c in counties])
    n_cat = {cat: alloc(spec[0], mentee_w) for cat, spec in YC_CATEGORIES.items()}
    n_src = {
        (src, tier): alloc(spec[0][t], mentor_w)
        for src, spec in YC_SOURCES.items()
        for t, tier in enumerate(TIERS)
        if spec[0][t]
    }

    # ---- villages by role, county by county --------------------------------------
    role_village: dict[str, list[np.ndarray]] = {
        k: []
        for k in [
            "软弱涣散村书记",
            "薄弱党组织",
            "新任村书记",
            "驻村工作队员",
            "优秀村书记",
            "导师党组织",
            "致富能人",
            "劳动模范",
            "老乡镇",
        ]
    }
    role_county: dict[str, list[np.ndarray]] = {k: [] for k in role_village}
    for ci, c in enumerate(counties):
        idx = np.flatnonzero(vil["county"].to_numpy() == c)
        perm = rng.permutation(idx)
        n_soft, n_weak_org = n_cat["软弱涣散村书记"][ci], n_cat["薄弱党组织"][ci]
        n_new = n_cat["新任村书记"][ci]
        n_good = sum(n_src[("优秀村书记", t)][ci] for t in ("county", "township"))
        n_orgm = n_src[("导师党组织", "township")][ci]
        w = max(n_soft, n_weak_org)
        assert w + n_new + max(n_good, n_orgm) <= idx.size, f"too few villages in {c}"
        picks = {
            "软弱涣散村书记": perm[:n_soft],
            "薄弱党组织": perm[w - n_weak_org : w],
            "新任村书记": perm[w : w + n_new],
            "驻村工作队员": rng.choice(perm[: w + n_new], n_cat["驻村工作队员"][ci]),
            "优秀村书记": perm[w + n_new : w + n_new + n_good],
            "导师党组织": perm[w + n_new : w + n_new + n_orgm],
        }
        for src in ("致富能人", "劳动模范", "老乡镇"):
            n_here = sum(
                n_src[(src, t)][ci] for t in ("city", "county", "township") if (src, t) in n_src
            )
            picks[src] = rng.choice(idx, n_here)
        for k, v in picks.items():
            role_village[k].append(v)
            role_county[k].append(np.full(v.size, ci))
    rv = {k: np.concatenate(v) for k, v in role_village.items()}

    # ---- mentors --------------------------------------------------------------------
    parts = []
    for src, (tier_counts, *_) in YC_SOURCES.items():
        for t, tier in enumerate(TIERS):
            if not tier_counts[t]:
                continue
            cidx = np.repeat(np.arange(len(counties)), n_src[(src, tier)])
            parts.append(pd.DataFrame({"source": src, "tier": tier, "c_idx": cidx}))
    mt = pd.concat(parts, ignore_index=True)
    n_m = len(mt)
    mt["county"] = np.array(counties, dtype=object)[mt["c_idx"]]
    # villages: sources that live in villages take theirs in order (village ids per county
    # were drawn in county order, and rows here are in county order within each source)
    mt["v_idx"] = -1
    for src in ("优秀村书记", "致富能人", "劳动模范", "导师党组织"):
        rows = np.flatnonzero(mt["source"].to_numpy() == src)
        order = rows[np.argsort(mt["c_idx"].to_numpy()[rows], kind="stable")]
        mt.loc[order, "v_idx"] = rv[src]
    lx = np.flatnonzero(
        (mt["source"].to_numpy() == "老乡镇") & (mt["tier"].to_numpy() == "township")
    )
    lx_v = rv["老乡镇"]  # county-tier 老乡镇 sit at the seat; their draws are simply unused
    lx_c = np.concatenate(role_county["老乡镇"])
    for ci in range(len(counties)):
        rows = lx[mt["c_idx"].to_numpy()[lx] == ci]
        mt.loc[rows, "v_idx"] = lx_v[lx_c == ci][: rows.size]
    at_seat = mt["v_idx"].to_numpy() < 0
    vi = np.where(at_seat, 0, mt["v_idx"].to_numpy())
    mt["kind"] = np.where(mt["source"] == "导师党组织", "org", "person")
    mt["city"] = "银川市"
    mt["township"] = np.where(at_seat, "", vil["township"].to_numpy()[vi])
    mt["village"] = np.where(at_seat, "", vil["village"].to_numpy()[vi])
    seat_lat = np.array([seats[c][0] for c in mt["county"]])
    seat_lon = np.array([seats[c][1] for c in mt["county"]])
    mt["lat"] = np.where(at_seat, seat_lat, vil["lat"].to_numpy()[vi])
    mt["lon"] = np.where(at_seat, seat_lon, vil["lon"].to_numpy()[vi])
    src_arr = mt["source"].to_numpy()
    agency = rng.choice(YC_AGENCIES, n_m)
    enterprise = rng.choice(YC_ENTERPRISES, n_m)
    village_stem = pd.Series(mt["village"]).str[:-1].to_numpy(dtype=object)
    unit = np.select(
        [
            at_seat & (mt["tier"].to_numpy() == "city"),
            at_seat,
            src_arr == "老乡镇",
            src_arr == "致富能人",
        ],
        [
            np.char.add("银川市", agency),
            np.char.add(mt["county"].to_numpy(dtype=str), agency),
            np.char.add(mt["township"].to_numpy(dtype=str), "人民政府"),
            village_stem + enterprise.astype(object),
        ],
        default=mt["village"].to_numpy(dtype=object),
    )
    mt["unit"] = unit
    type_p = np.array([YC_SOURCES[s][1] for s in src_arr])
    u = rng.random(n_m)[:, None]
    mt["type"] = TYPES[np.minimum((u > np.cumsum(type_p, axis=1)).sum(axis=1), 2)]
    tier_bonus = np.select([mt["tier"] == "city", mt["tier"] == "county"], [0.4, 0.2], 0.0)
    r_mean = np.array([YC_SOURCES[s][2] for s in src_arr]) + tier_bonus
    mt["rating"] = rating(rng, n_m, r_mean, 0.4, 3.0, 5.0)
    tag_w = np.array([YC_SOURCES[s][3] for s in src_arr], dtype=float)
    mt["domains"], m_mask = sample_tags(rng, tag_w, rng.integers(2, 5, n_m))
    cap_town = rng.choice([1, 2], n_m, p=[0.55, 0.45])
    mt["capacity"] = np.select(
        [mt["kind"] == "org", mt["tier"] == "city", mt["tier"] == "county"], [2, 3, 2], cap_town
    )
    person_names = make_names(rng, n_m, taken_names)
    mt["name"] = np.where(
        mt["kind"] == "org", np.char.add(mt["village"].to_numpy(dtype=str), "党支部"), person_names
    )

    # ---- mentees --------------------------------------------------------------------
    parts = []
    for cat, (_, level, r_mu, r_sd, prio, _) in YC_CATEGORIES.items():
        cidx = np.repeat(np.arange(len(counties)), n_cat[cat])
        parts.append(
            pd.DataFrame(
                {
                    "category": cat,
                    "level": level,
                    "c_idx": cidx,
                    "priority": prio,
                    "r_mu": r_mu,
                    "r_sd": r_sd,
                }
            )
        )
    me = pd.concat(parts, ignore_index=True)
    n_e = len(me)
    me["county"] = np.array(counties, dtype=object)[me["c_idx"]]
    me["v_idx"] = -1
    for cat in ("软弱涣散村书记", "薄弱党组织", "新任村书记", "驻村工作队员"):
        rows = np.flatnonzero(me["category"].to_numpy() == cat)
        me.loc[rows, "v_idx"] = rv[cat]  # rows are already in county order
    # township-level cadres: a township of their county, weighted by its village count
    t_nv = vil.groupby(["c_idx", "t_idx"]).size()
    t_of = np.zeros(n_e, dtype=int)
    for ci in range(len(counties)):
        rows = np.flatnonzero(
            (me["level"].to_numpy() == "township") & (me["c_idx"].to_numpy() == ci)
        )
        w = t_nv.loc[ci].to_numpy(dtype=float)
        t_of[rows] = rng.choice(t_nv.loc[ci].index.to_numpy(), rows.size, p=w / w.sum())
    at_town = me["v_idx"].to_numpy() < 0
    vi = np.where(at_town, 0, me["v_idx"].to_numpy())
    tkey = pd.MultiIndex.from_arrays([me["c_idx"], t_of])
    town_row = towns.set_index(["c_idx", "t_idx"]).reindex(tkey)
    me["kind"] = np.where(me["category"] == "薄弱党组织", "org", "person")
    me["city"] = "银川市"
    me["township"] = np.where(
        at_town, town_row["township"].to_numpy(), vil["township"].to_numpy()[vi]
    )
    me["village"] = np.where(at_town, "", vil["village"].to_numpy()[vi])
    me["lat"] = np.where(at_town, town_row["t_lat"].to_numpy(), vil["lat"].to_numpy()[vi])
    me["lon"] = np.where(at_town, town_row["t_lon"].to_numpy(), vil["lon"].to_numpy()[vi])
    cat_arr = me["category"].to_numpy()
    me["unit"] = np.select(
        [at_town, cat_arr == "驻村工作队员"],
        [
            np.char.add(me["township"].to_numpy(dtype=str), "人民政府"),
            np.char.add(me["village"].to_numpy(dtype=str), "驻村工作队"),
        ],
        default=me["village"].to_numpy(dtype=object),
    )
    me["rating"] = rating(rng, n_e, me["r_mu"].to_numpy(), me["r_sd"].to_numpy(), 1.0, 4.0)
    tag_w = np.array([YC_CATEGORIES[c][5] for c in cat_arr], dtype=float)
    k = rng.choice([1, 2, 3], n_e, p=[0.35, 0.45, 0.20])
    me["domains"], e_mask = sample_tags(rng, tag_w, k)
    key_p = np.select(
        [cat_arr == "软弱涣散村书记", cat_arr == "薄弱党组织", cat_arr == "新任乡镇领导"],
        [0.5, 0.3, 0.3],
        0.0,
    )
    me["mentors_required"] = np.where(rng.random(n_e) < key_p, 2, 1)
    person_names = make_names(rng, n_e, taken_names)
    me["name"] = np.where(
        me["kind"] == "org", np.char.add(me["village"].to_numpy(dtype=str), "党支部"), person_names
    )

    # ---- ids, order, write ------------------------------------------------------------
    tier_idx = mt["tier"].map({t: i for i, t in enumerate(TIERS)})
    src_idx = mt["source"].map({s: i for i, s in enumerate(YC_SOURCES)})
    t_order = towns.set_index("township")["t_idx"]
    mt["_t"] = mt["township"].map(t_order).fillna(-1)
    mt = (
        mt.assign(_tier=tier_idx, _src=src_idx)
        .sort_values(["c_idx", "_tier", "_t", "_src", "village"], kind="stable")
        .reset_index(drop=True)
    )
    mt["mentor_id"] = [f"M{i:04d}" for i in range(1, n_m + 1)]
    cat_idx = me["category"].map({c: i for i, c in enumerate(YC_CATEGORIES)})
    me["_t"] = me["township"].map(t_order)
    me = (
        me.assign(_cat=cat_idx)
        .sort_values(["c_idx", "_t", "_cat", "village"], kind="stable")
        .reset_index(drop=True)
    )
    me["mentee_id"] = [f"E{i:04d}" for i in range(1, n_e + 1)]

    m_cols = [
        "mentor_id",
        "name",
        "kind",
        "source",
        "type",
        "tier",
        "city",
        "county",
        "township",
        "village",
        "unit",
        "lat",
        "lon",
        "domains",
        "rating",
        "capacity",
    ]
    e_cols = [
        "mentee_id",
        "name",
        "kind",
        "category",
        "city",
        "county",
        "township",
        "village",
        "unit",
        "lat",
        "lon",
        "domains",
        "rating",
        "mentors_required",
        "priority",
    ]
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(mt[m_cols], folder / "mentors.csv", {"lat": 5, "lon": 5, "rating": 1})
    write_csv(me[e_cols], folder / "mentees.csv", {"lat": 5, "lon": 5, "rating": 1})

    # ---- fixed (组织统筹) and forbidden (回避 / 双向自愿) pairs, from the files -----------------
    m, e = read_back(folder, keep_default_na=False)
    cand = yc_candidates(m, e)
    n_cand = cand.sum(axis=0)
    e_cat = e["category"].to_numpy()
    fixed = []
    used_m: set[int] = set()
    for c in ["兴庆区", "永宁县", "贺兰县", "灵武市", "金凤区"]:
        pool = np.flatnonzero(
            (e["county"].to_numpy() == c)
            & (n_cand >= 3)
            & np.isin(e_cat, ["软弱涣散村书记", "薄弱党组织", "新任村书记"])
        )
        j = int(rng.choice(pool))
        ms = np.flatnonzero(cand[:, j])
        ms = ms[~np.isin(ms, list(used_m))]
        best = ms[np.lexsort((ms, -m["rating"].to_numpy()[ms]))][0]  # strongest, then lowest id
        used_m.add(int(best))
        fixed.append((int(best), j))
    fixed_e = {j for _, j in fixed}
    pool = np.flatnonzero((n_cand >= 4) & ~np.isin(np.arange(len(e)), list(fixed_e)))
    forb_e = np.sort(rng.choice(pool, 10, replace=False))
    forbidden = []
    for j in forb_e:
        ms = np.flatnonzero(cand[:, j])
        forbidden.append((int(rng.choice(ms)), int(j)))
    fx = pd.DataFrame(
        {
            "mentor_id": m["mentor_id"].to_numpy()[[i for i, _ in fixed]],
            "mentee_id": e["mentee_id"].to_numpy()[[j for _, j in fixed]],
        }
    )
    fx = fx.sort_values(["mentor_id", "mentee_id"]).reset_index(drop=True)
    fb = pd.DataFrame(
        {
            "mentor_id": m["mentor_id"].to_numpy()[[i for i, _ in forbidden]],
            "mentee_id": e["mentee_id"].to_numpy()[[j for _, j in forbidden]],
            "reason": YC_FORBID_REASONS[np.arange(len(forbidden)) % YC_FORBID_REASONS.size],
        }
    )
    fb = fb.sort_values(["mentor_id", "mentee_id"]).reset_index(drop=True)
    write_csv(fx, folder / "fixed.csv", {})
    write_csv(fb, folder / "forbidden.csv", {})
    write_text(folder / "rules.toml", YC_RULES)
    stats = verify_yinchuan(folder)
    write_text(folder / "README.md", yc_readme(m, e, stats))


def yc_candidates(m: pd.DataFrame, e: pd.DataFrame) -> np.ndarray:
    """Hard-rule candidate matrix (mentors x mentees), recomputed from the tables."""
    dist = haversine_km(
        m["lat"].to_numpy()[:, None],
        m["lon"].to_numpy()[:, None],
        e["lat"].to_numpy()[None, :],
        e["lon"].to_numpy()[None, :],
    )
    same_county = m["county"].to_numpy()[:, None] == e["county"].to_numpy()[None, :]
    shared = (tag_mask(m["domains"])[:, None] & tag_mask(e["domains"])[None, :]) != 0
    stronger = m["rating"].to_numpy()[:, None] > e["rating"].to_numpy()[None, :]
    mv = m["village"].fillna("").astype(str).to_numpy()
    ev = e["village"].fillna("").astype(str).to_numpy()
    same_village = (mv[:, None] == ev[None, :]) & (mv[:, None] != "")
    return same_county & (dist <= 60) & shared & stronger & ~same_village


def check_common(
    m: pd.DataFrame,
    e: pd.DataFrame,
    mid: str,
    eid: str,
    lat: str,
    lon: str,
    rate: str,
    lat_box,
    lon_box,
) -> None:
    assert m[mid].is_unique and e[eid].is_unique, "ids not unique"
    assert m[mid].is_monotonic_increasing and e[eid].is_monotonic_increasing, "rows not sorted"
    for df in (m, e):
        assert df[lat].between(*lat_box).all() and df[lon].between(*lon_box).all(), "coords"
    assert m[rate].between(3.0, 5.0).all() and e[rate].between(1.0, 4.0).all(), "ratings"


def verify_yinchuan(folder: Path) -> dict:
    m, e = read_back(folder, keep_default_na=False)
    check_common(
        m, e, "mentor_id", "mentee_id", "lat", "lon", "rating", (37.7, 38.8), (105.9, 106.8)
    )
    assert len(m) == 483 and (m["kind"] == "org").sum() == 85
    assert (
        m["source"].value_counts().reindex(list(YC_SOURCES)).to_numpy() == [133, 97, 44, 74, 50, 85]
    ).all()
    assert m["domains"].str.count(";").between(1, 3).all()
    assert e["domains"].str.count(";").between(0, 2).all()
    names = pd.concat([m.loc[m["kind"] == "person", "name"], e.loc[e["kind"] == "person", "name"]])
    assert names.is_unique and not names.isin(BLOCKLIST).any()
    cand = yc_candidates(m, e)

    # fixed pairs satisfy every hard rule (haversine recomputed here) and fit capacities
    fx = pd.read_csv(folder / "fixed.csv", encoding="utf-8")
    fb = pd.read_csv(folder / "forbidden.csv", encoding="utf-8")
    mi = pd.Index(m["mentor_id"])
    ei = pd.Index(e["mentee_id"])
    for df in (fx, fb):
        a, b = mi.get_indexer(df["mentor_id"]), ei.get_indexer(df["mentee_id"])
        assert (a >= 0).all() and (b >= 0).all(), "unknown id in fixed/forbidden"
        mr, er = m.iloc[a].reset_index(drop=True), e.iloc[b].reset_index(drop=True)
        d = haversine_km(mr["lat"], mr["lon"], er["lat"], er["lon"])
        assert (mr["county"] == er["county"]).all()
        assert (d <= 60).all()
        assert ((tag_mask(mr["domains"]) & tag_mask(er["domains"])) != 0).all()
        assert (mr["rating"] > er["rating"]).all()
        assert ((mr["village"] != er["village"]) | (mr["village"] == "")).all()
        assert cand[a, b].all()
    assert len(fx) == 5 and len(fb) == 10
    load = fx.groupby("mentor_id").size()
    assert (load <= m.set_index("mentor_id")["capacity"].reindex(load.index)).all()
    got = fx.groupby("mentee_id").size()
    assert (got <= e.set_index("mentee_id")["mentors_required"].reindex(got.index)).all()
    both = fx.merge(fb, on=["mentor_id", "mentee_id"])
    assert both.empty, "a pair is both fixed and forbidden"
    assert not fb.duplicated(["mentor_id", "mentee_id"]).any()

    # counts for the README: candidates per mentee, capacity vs demand, max-flow coverage
    cand[mi.get_indexer(fb["mentor_id"]), ei.get_indexer(fb["mentee_id"])] = False
    filled = max_flow_filled(cand, m["capacity"].to_numpy(), e["mentors_required"].to_numpy())
    counties = list(YC_COUNTIES)
    e2 = e.assign(has=cand.sum(axis=0) >= 1, n_cand=cand.sum(axis=0), filled=filled)
    per = pd.DataFrame(
        {
            "county": counties,
            "mentors": m.groupby("county").size().reindex(counties).to_numpy(),
            "mentees": e2.groupby("county").size().reindex(counties).to_numpy(),
            "capacity": m.groupby("county")["capacity"].sum().reindex(counties).to_numpy(),
            "demand": e2.groupby("county")["mentors_required"].sum().reindex(counties).to_numpy(),
            "with_candidate": e2.groupby("county")["has"].sum().reindex(counties).to_numpy(),
            "max_filled": e2.groupby("county")["filled"].sum().reindex(counties).to_numpy(),
        }
    )
    per["cap/demand"] = (per["capacity"] / per["demand"]).map(lambda x: f"{x:.2f}")
    per["with_candidate_%"] = (100 * per["with_candidate"] / per["mentees"]).map(
        lambda x: f"{x:.1f}"
    )
    tot = per[["mentors", "mentees", "capacity", "demand", "with_candidate", "max_filled"]].sum()
    dist = haversine_km(
        m["lat"].to_numpy()[:, None],
        m["lon"].to_numpy()[:, None],
        e["lat"].to_numpy()[None, :],
        e["lon"].to_numpy()[None, :],
    )
    same_county = m["county"].to_numpy()[:, None] == e["county"].to_numpy()[None, :]
    over60 = same_county & (dist > 60)
    assert tot["with_candidate"] / tot["mentees"] >= 0.95
    assert 1.2 <= tot["capacity"] / tot["demand"] <= 1.4
    return {
        "per": per,
        "tot": tot,
        "median_cand": float(np.median(e2["n_cand"])),
        "fully_served": int((e2["filled"] == e2["mentors_required"]).sum()),
        "over60_pairs": int(over60.sum()),
        "over60_mentees": int(over60.any(axis=0).sum()),
    }


def yc_readme(m: pd.DataFrame, e: pd.DataFrame, stats: dict) -> str:
    per, tot = stats["per"], stats["tot"]
    src = m.groupby(["source", "tier"]).size().unstack(fill_value=0).reindex(list(YC_SOURCES))
    src = src.reindex(columns=TIERS, fill_value=0).reset_index()
    cat = e.groupby("category").agg(
        n=("mentee_id", "size"),
        priority=("priority", "first"),
        need_2=("mentors_required", lambda s: int((s == 2).sum())),
    )
    cat = cat.reindex(list(YC_CATEGORIES)).reset_index()
    return f"""# yinchuan — 银川市 导师帮带 city pilot (Yinchuan-like, synthetic)

A city-wide 导师帮带 programme in the style of the 2021 银川市 pilot: a three-tier mentor bank
(市县乡三级导师库) paired with the six mentee categories (六类帮带对象) plus weak village party
organisations, by the five principles 领域相近、帮带便捷、以强带弱、双向自愿、组织统筹.
The districts/counties (兴庆区, 金凤区, 西夏区, 永宁县, 贺兰县, 灵武市) and townships are real,
with approximate centres; villages, units, people, ratings and domains are invented.
Every person name is synthetic. The bank sizes (483 = 133 老乡镇 + 97 优秀村书记 + 44 致富能人 +
74 劳动模范 + 50 机关干部 + 85 导师党组织) follow the project brief; the 2021 Xinhua report
confirms only 348 mentors and 410 pairs, so read them as "Yinchuan-like".
Generated by `scripts/make_samples.py` (seeded).

## Files
- `mentors.csv` — {len(m)} rows ({int((m["kind"] == "person").sum())} persons, \
{int((m["kind"] == "org").sum())} mentor party organisations, `kind=org`).
- `mentees.csv` — {len(e)} rows ({int((e["kind"] == "person").sum())} persons, \
{int((e["kind"] == "org").sum())} weak party organisations, `kind=org`).
- `rules.toml` — the pairing rules below.
- `fixed.csv` — {5} organisation-designated pairs (组织统筹); each satisfies every hard rule.
- `forbidden.csv` — 10 vetoed pairs with a reason (回避 / 双向自愿); each would otherwise be a candidate.

## Columns
`mentors.csv`: `mentor_id`, `name`, `kind` (person/org), `source` (老乡镇, 优秀村书记, 致富能人,
劳动模范, 机关干部, 导师党组织), `type` (三型: 专家型/经验型/群众型), `tier` (city/county/township),
`city`, `county`, `township`, `village`, `unit`, `lat`, `lon`, `domains` (`;`-separated),
`rating` (3.0–5.0), `capacity` (city 3, county 2, org 2, township 1–2).
City- and county-tier agency cadres (机关干部, and county-tier 老乡镇) sit at the county seat with
`township` and `village` empty; city-tier mentors are attached to one county. Mentors who
live in a village (村书记, 致富能人, 劳动模范, orgs) keep that village whatever their tier.

`mentees.csv`: `mentee_id`, `name`, `kind`, `category`, `city`, `county`, `township`, `village`
(empty for township cadres, who sit at the township centre), `unit`, `lat`, `lon`, `domains`
(needs), `rating` (1.0–4.0, lower = weaker), `mentors_required` (1, or 2 for key mentees,
多对一), `priority` (1 = 软弱涣散村书记 and 薄弱党组织, 2 = new appointees, 3 = others).
An empty `village` never counts as "the same village".

Domain tags: {"、".join(TAGS)}.

### Mentor bank by source and tier
{md_table(src)}

### Mentees by category
{md_table(cat)}

## Rules (`rules.toml`)
Many-to-many (`capacity` column, `mentors_required` column), unmatched allowed.
Hard: same county; ≤ 60 km; ≥ 1 shared domain; mentor `rating` > mentee `rating`; not the same
village; plus `fixed.csv` / `forbidden.csv`. Soft: domain fit (weight 3), closeness (weight 1,
30 km scale), strongest mentors to the weakest mentees (weight 1).

## Capacity vs demand (under the hard rules, forbidden pairs removed)
{md_table(per)}

Overall: capacity {int(tot["capacity"])} for a demand of {int(tot["demand"])} mentor slots \
({tot["capacity"] / tot["demand"]:.2f}×). {int(tot["with_candidate"])} of {int(tot["mentees"])} mentees \
({100 * tot["with_candidate"] / tot["mentees"]:.1f}%) have at least one candidate (median \
{stats["median_cand"]:.0f}). `max_filled` is the maximum-flow bound on the slots that can be filled at \
once: {int(tot["max_filled"])} of {int(tot["demand"])}, so a few mentees stay unmatched whatever the \
objective. 灵武市 is deliberately tight (fewer mentors per mentee) and 西夏区 a little; 灵武市 is also \
the only county long enough for the 60 km rule to bite ({stats["over60_pairs"]} same-county pairs, \
touching {stats["over60_mentees"]} mentees, between 马家滩镇 and 临河镇).
"""


# --------------------------------------------------------------------------------------
# fushan (Chinese headers)
# --------------------------------------------------------------------------------------

FS_TOWNS = [
    ("天坛镇", 35.968, 111.848),
    ("响水河镇", 36.030, 111.960),
    ("北王乡", 36.055, 111.850),
    ("东张乡", 35.910, 111.780),
    ("槐埝乡", 35.900, 111.930),
]
FS_RULES = """\
# 浮山县 选派干部 实践导师: 每名选派干部从本乡镇导师库中确定1名实践导师（一对多，不许落空）。
# Fushan county: each sent cadre gets exactly one practice mentor from their own township's
# bank; one-to-many, nobody left unmatched. The files use Chinese headers, mapped below.

[pairing]
shape = "one_to_many"
capacity = "capacity"
unmatched = "forbid"

[columns.mentors]
mentor_id = "导师编号"
name = "姓名"
type = "类型"
township = "乡镇"
village = "村"
lat = "纬度"
lon = "经度"
domains = "专长"
rating = "评分"
capacity = "帮带上限"

[columns.mentees]
mentee_id = "对象编号"
name = "姓名"
township = "乡镇"
village = "派驻村"
lat = "纬度"
lon = "经度"
domains = "需求"
rating = "评分"

[[require]]
rule = "same_region"
level = "township"

[[prefer]]
score = "domain_fit"
weight = 2

[[prefer]]
score = "closeness"
weight = 1
scale_km = 15
"""


def fushan(folder: Path) -> None:
    rng = np.random.default_rng(30_20)
    taken_names: set[str] = set()
    taken_villages: set[str] = set()
    towns = pd.DataFrame(FS_TOWNS, columns=["township", "t_lat", "t_lon"])
    towns["t_idx"] = np.arange(len(towns))
    vil = build_villages(
        rng, towns, rng.integers(8, 13, len(towns)), "家庄垣沟坡峪岭洼河堡", "家庄", taken_villages
    )
    # 20 host villages (4 per township); 30 cadres: one per host village, plus 2 more per township
    host = np.concatenate(
        [
            rng.permutation(np.flatnonzero(vil["t_idx"].to_numpy() == t))[:4]
            for t in range(len(towns))
        ]
    )
    extra = np.concatenate(
        [rng.choice(host[4 * t : 4 * t + 4], 2, replace=False) for t in range(len(towns))]
    )
    ev = np.sort(np.concatenate([host, extra]), kind="stable")
    n_e = ev.size
    e = pd.DataFrame(
        {
            "乡镇": vil["township"].to_numpy()[ev],
            "派驻村": vil["village"].to_numpy()[ev],
            "纬度": vil["lat"].to_numpy()[ev],
            "经度": vil["lon"].to_numpy()[ev],
        }
    )
    w_e = np.tile([3, 2, 2, 4, 1, 4, 3, 3, 1, 2], (n_e, 1)).astype(float)
    e["需求"], _ = sample_tags(rng, w_e, rng.choice([1, 2, 3], n_e, p=[0.3, 0.5, 0.2]))
    e["评分"] = rating(rng, n_e, 2.6, 0.5, 1.0, 4.0)
    e["姓名"] = make_names(rng, n_e, taken_names)
    e.insert(0, "对象编号", [f"E{i:03d}" for i in range(1, n_e + 1)])

    n_bank = rng.integers(7, 10, len(towns))
    mv = np.concatenate(
        [
            rng.choice(np.flatnonzero(vil["t_idx"].to_numpy() == t), n, replace=True)
            for t, n in enumerate(n_bank)
        ]
    )
    mv = np.sort(mv, kind="stable")
    n_m = mv.size
    m = pd.DataFrame(
        {
            "乡镇": vil["township"].to_numpy()[mv],
            "村": vil["village"].to_numpy()[mv],
            "纬度": vil["lat"].to_numpy()[mv],
            "经度": vil["lon"].to_numpy()[mv],
        }
    )
    m["类型"] = rng.choice(TYPES, n_m, p=[0.3, 0.45, 0.25])
    w_m = np.tile([4, 4, 3, 2, 1.5, 3, 3, 4, 2, 2], (n_m, 1)).astype(float)
    m["专长"], _ = sample_tags(rng, w_m, rng.integers(2, 5, n_m))
    m["评分"] = rating(rng, n_m, 4.1, 0.4, 3.0, 5.0)
    m["帮带上限"] = rng.choice([1, 2], n_m, p=[0.4, 0.6])
    m["姓名"] = make_names(rng, n_m, taken_names)
    m.insert(0, "导师编号", [f"M{i:03d}" for i in range(1, n_m + 1)])
    m = m[["导师编号", "姓名", "类型", "乡镇", "村", "纬度", "经度", "专长", "评分", "帮带上限"]]
    e = e[["对象编号", "姓名", "乡镇", "派驻村", "纬度", "经度", "需求", "评分"]]
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(m, folder / "mentors.csv", {"纬度": 5, "经度": 5, "评分": 1})
    write_csv(e, folder / "mentees.csv", {"纬度": 5, "经度": 5, "评分": 1})
    write_text(folder / "rules.toml", FS_RULES)

    m, e = read_back(folder, keep_default_na=False)
    check_common(
        m, e, "导师编号", "对象编号", "纬度", "经度", "评分", (35.8, 36.15), (111.65, 112.1)
    )
    per = pd.DataFrame(
        {
            "乡镇 township": towns["township"],
            "villages hosting cadres": e.groupby("乡镇")["派驻村"]
            .nunique()
            .reindex(towns["township"])
            .to_numpy(),
            "cadres": e.groupby("乡镇").size().reindex(towns["township"]).to_numpy(),
            "mentors": m.groupby("乡镇").size().reindex(towns["township"]).to_numpy(),
            "capacity": m.groupby("乡镇")["帮带上限"].sum().reindex(towns["township"]).to_numpy(),
        }
    )
    assert (per["capacity"] >= per["cadres"]).all() and per["cadres"].sum() == 30
    assert e["派驻村"].nunique() == 20 and per["mentors"].between(7, 9).all()
    write_text(
        folder / "README.md",
        f"""# fushan — 浮山县 选派干部 实践导师 (synthetic)

浮山县 (Linfen, Shanxi) sends county cadres to serve as 驻村第一书记 (选派干部): 30 cadres in 20
villages. Each gets exactly **one** practice mentor (实践导师) from **their own township's**
mentor bank (乡镇导师库). Five real townships with approximate centres; villages, people,
ratings and domains are invented. Every person name is synthetic.
Generated by `scripts/make_samples.py` (seeded).

This sample uses **Chinese column headers** to show that they work: `rules.toml` maps each
canonical name to the file's column in `[columns.mentors]` / `[columns.mentees]`.

## Files and columns
- `mentors.csv` ({len(m)} mentors): 导师编号 (mentor_id), 姓名 (name), 类型 (type: 专家型/经验型/群众型),
  乡镇 (township), 村 (village), 纬度 (lat), 经度 (lon), 专长 (domains, `;`-separated),
  评分 (rating, 3.0–5.0), 帮带上限 (capacity, 1 or 2).
- `mentees.csv` ({len(e)} cadres): 对象编号 (mentee_id), 姓名 (name), 乡镇 (township),
  派驻村 (village they are posted to), 纬度, 经度, 需求 (domains: needs), 评分 (rating, 1.0–4.0).
- `rules.toml`.

{md_table(per)}

## Rules
One-to-many with capacity from 帮带上限; every cadre must be matched (`unmatched = "forbid"`).
Hard: same township. Soft: domain fit (weight 2), closeness (weight 1, 15 km scale).
Every township's bank capacity covers its cadres, so the rules are feasible.
""",
    )


# --------------------------------------------------------------------------------------
# fanxian
# --------------------------------------------------------------------------------------

FX_TOWNS = [
    ("城关镇", 35.865, 115.495),
    ("濮城镇", 35.725, 115.345),
    ("王楼镇", 35.900, 115.430),
    ("龙王庄镇", 35.785, 115.430),
    ("辛庄镇", 35.830, 115.570),
    ("杨集乡", 35.790, 115.500),
    ("陈庄镇", 35.760, 115.620),
    ("高码头镇", 35.930, 115.540),
    ("白衣阁乡", 35.820, 115.360),
    ("颜村铺乡", 35.880, 115.620),
    ("张庄乡", 35.760, 115.740),
    ("陆集乡", 35.910, 115.700),
]
FX_RULES = """\
# 范县 老乡镇/老支书 帮带 村党组织书记: 一名导师带两名书记，就近结对（25公里内），不带本村。
# Fan county: 77 veteran mentors each take up to 2 of 150 village secretaries, within 25 km,
# never their own village; closeness matters most, then domain fit. Unmatched allowed.

[pairing]
shape = "one_to_many"
capacity = 2
unmatched = "allow"

[[require]]
rule = "max_distance"
km = 25

[[require]]
rule = "avoid_same"
column = "village"

[[prefer]]
score = "closeness"
weight = 2
scale_km = 20

[[prefer]]
score = "domain_fit"
weight = 1
"""


def fanxian(folder: Path) -> None:
    rng = np.random.default_rng(77_150)
    taken_names: set[str] = set()
    taken_villages: set[str] = set()
    towns = pd.DataFrame(FX_TOWNS, columns=["township", "t_lat", "t_lon"])
    towns["t_idx"] = np.arange(len(towns))
    n_e_t = alloc(150, rng.integers(8, 16, len(towns)))
    n_m_t = alloc(77, n_e_t)
    vil = build_villages(
        rng,
        towns,
        n_e_t + np.ceil(n_m_t / 2).astype(int) + 2,
        "家庄楼集寨屯店营口堤",
        "家庄楼集寨屯店营",
        taken_villages,
    )
    ti = vil["t_idx"].to_numpy()
    ev = np.concatenate(
        [rng.permutation(np.flatnonzero(ti == t))[: n_e_t[t]] for t in range(len(towns))]
    )
    mv = np.concatenate([rng.choice(np.flatnonzero(ti == t), n_m_t[t]) for t in range(len(towns))])
    ev, mv = np.sort(ev, kind="stable"), np.sort(mv, kind="stable")
    n_e, n_m = ev.size, mv.size

    base = {"city": "濮阳市", "county": "范县"}
    e = pd.DataFrame(
        {
            "kind": "person",
            "category": "村党组织书记",
            **base,
            "township": vil["township"].to_numpy()[ev],
            "village": vil["village"].to_numpy()[ev],
        }
    )
    e["unit"] = e["village"]
    e["lat"], e["lon"] = vil["lat"].to_numpy()[ev], vil["lon"].to_numpy()[ev]
    w_e = np.tile([5, 3, 4, 1.5, 2, 3, 4, 2, 2, 2], (n_e, 1)).astype(float)
    e["domains"], _ = sample_tags(rng, w_e, rng.choice([1, 2, 3], n_e, p=[0.35, 0.45, 0.2]))
    e["rating"] = rating(rng, n_e, 2.5, 0.7, 1.0, 4.0)
    e["mentors_required"] = 1
    e["priority"] = np.select([e["rating"] < 2.0, e["rating"] < 3.0], [1, 2], 3)
    e.insert(0, "name", make_names(rng, n_e, taken_names))
    e.insert(0, "mentee_id", [f"E{i:03d}" for i in range(1, n_e + 1)])

    src = rng.choice(np.array(["老乡镇", "老支书"]), n_m, p=[0.45, 0.55])
    m = pd.DataFrame(
        {
            "kind": "person",
            "source": src,
            "type": rng.choice(TYPES, n_m, p=[0.2, 0.55, 0.25]),
            "tier": "township",
            **base,
            "township": vil["township"].to_numpy()[mv],
            "village": vil["village"].to_numpy()[mv],
        }
    )
    m["unit"] = np.where(
        src == "老乡镇",
        np.char.add(m["township"].to_numpy(dtype=str), "人民政府"),
        m["village"].to_numpy(dtype=str),
    )
    m["lat"], m["lon"] = vil["lat"].to_numpy()[mv], vil["lon"].to_numpy()[mv]
    w_m = np.tile([5, 4, 4, 1.5, 1, 3, 4, 4, 3, 2], (n_m, 1)).astype(float)
    m["domains"], _ = sample_tags(rng, w_m, rng.integers(2, 5, n_m))
    m["rating"] = rating(rng, n_m, 4.25, 0.4, 3.5, 5.0)
    m["capacity"] = 2
    m.insert(0, "name", make_names(rng, n_m, taken_names))
    m.insert(0, "mentor_id", [f"M{i:03d}" for i in range(1, n_m + 1)])
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(m, folder / "mentors.csv", {"lat": 5, "lon": 5, "rating": 1})
    write_csv(e, folder / "mentees.csv", {"lat": 5, "lon": 5, "rating": 1})
    write_text(folder / "rules.toml", FX_RULES)

    m, e = read_back(folder, keep_default_na=False)
    check_common(
        m, e, "mentor_id", "mentee_id", "lat", "lon", "rating", (35.6, 36.05), (115.2, 115.9)
    )
    assert len(m) == 77 and len(e) == 150 and m["rating"].min() >= 3.5
    dist = haversine_km(
        m["lat"].to_numpy()[:, None],
        m["lon"].to_numpy()[:, None],
        e["lat"].to_numpy()[None, :],
        e["lon"].to_numpy()[None, :],
    )
    cand = (dist <= 25) & (m["village"].to_numpy()[:, None] != e["village"].to_numpy()[None, :])
    filled = max_flow_filled(cand, m["capacity"].to_numpy(), e["mentors_required"].to_numpy())
    assert cand.any(axis=0).all()
    per = pd.DataFrame(
        {
            "township": towns["township"],
            "secretaries": e.groupby("township").size().reindex(towns["township"]).to_numpy(),
            "mentors": m.groupby("township").size().reindex(towns["township"]).to_numpy(),
        }
    )
    write_text(
        folder / "README.md",
        f"""# fanxian — 范县 老乡镇/老支书 帮带 村党组织书记 (synthetic)

范县 (Puyang, Henan): {len(m)} veteran mentors (老乡镇 veteran township cadres and 老支书
veteran village secretaries) each take up to two of {len(e)} village party secretaries
(村党组织书记) in a training cycle — capacity {int(m["capacity"].sum())} for {len(e)}, so almost every
mentor is used. Twelve real townships with approximate centres; villages, people, ratings and
domains are invented. Every person name is synthetic.
Generated by `scripts/make_samples.py` (seeded).

## Files and columns (English canonical names)
- `mentors.csv`: `mentor_id`, `name`, `kind`, `source` (老乡镇/老支书), `type`, `tier`, `city`,
  `county`, `township`, `village`, `unit`, `lat`, `lon`, `domains`, `rating` (3.5–5.0), `capacity` (2).
- `mentees.csv`: `mentee_id`, `name`, `kind`, `category` (村党组织书记), `city`, `county`, `township`,
  `village`, `unit`, `lat`, `lon`, `domains`, `rating` (1.0–4.0), `mentors_required` (1),
  `priority` (1 if rating < 2, 2 if < 3, else 3).
- `rules.toml`.

{md_table(per)}

## Rules
One-to-many, capacity 2 for everyone (an integer in `rules.toml`), unmatched allowed.
Hard: ≤ 25 km; not the same village. Soft: closeness (weight 2, 20 km scale), domain fit
(weight 1). Every secretary has a mentor within 25 km; a maximum flow fills
{int(filled.sum())} of {len(e)}.
""",
    )


# --------------------------------------------------------------------------------------
# villages (平罗县: strong village -> weak village, 结对共建 and 跨村任职)
# --------------------------------------------------------------------------------------

INDUSTRIES = np.array(
    ["蔬菜", "葡萄酒", "枸杞", "奶牛", "肉牛", "水稻", "蘑菇", "乡村旅游", "电商", "光伏", "劳务"]
)
# 平罗县 (石嘴山市): its 7 镇 and 6 乡 with approximate centres. 陶乐镇, 高仁乡 and 红崖子乡 (the
# former 陶乐县, merged in 2004) lie east of the Yellow River. ``wealth`` tilts the township
# towards strong (> 1) or weak (< 1) villages; ``profile`` is its main industries, drawn far more
# often than the rest, so that neighbouring villages' industries connect (产业相连).
PL_TOWNS = [
    ("城关镇", 38.906, 106.545, 1.5, "蔬菜;电商;劳务;乡村旅游"),
    ("黄渠桥镇", 39.000, 106.640, 1.2, "蔬菜;肉牛;劳务"),
    ("宝丰镇", 39.030, 106.520, 1.0, "水稻;蔬菜;奶牛"),
    ("头闸镇", 38.965, 106.500, 1.1, "水稻;蔬菜;蘑菇"),
    ("姚伏镇", 38.790, 106.520, 1.3, "蔬菜;水稻;电商"),
    ("崇岗镇", 38.880, 106.360, 0.9, "葡萄酒;枸杞;乡村旅游;光伏"),
    ("陶乐镇", 38.810, 106.700, 0.7, "枸杞;肉牛;乡村旅游;光伏"),
    ("高庄乡", 38.945, 106.600, 1.1, "水稻;奶牛;蔬菜"),
    ("灵沙乡", 38.860, 106.640, 1.0, "水稻;蘑菇;乡村旅游"),
    ("渠口乡", 38.840, 106.440, 0.9, "奶牛;肉牛;水稻"),
    ("通伏乡", 38.780, 106.620, 0.9, "水稻;蔬菜;劳务"),
    ("高仁乡", 38.700, 106.690, 0.6, "光伏;肉牛;枸杞"),
    ("红崖子乡", 38.960, 106.770, 0.6, "光伏;枸杞;劳务;肉牛"),
]
VL_N = (200, 40, 30)  # villages, strong villages, weak villages
# weak villages by flag: both flags, 软弱涣散 only, 集体经济薄弱 only; and "空壳村" among the poor
VL_WEAK_KINDS = {"both": 5, "soft": 3, "econ": 22}
VL_SHELL = 6
VL_TASK2 = 6  # 跨村任职: the weakest villages that get an acting secretary
VL_RULES = """\
# 平罗县 强村带弱村 结对共建: 15公里内、强弱分差10分以上，产业相连优先，一带一或一带二。
# Pingluo county: each weak village (软弱涣散 / 集体经济薄弱) gets one strong partner village
# within 15 km whose strength is more than 10 points higher; a strong village takes one or
# two (capacity column). Prefer shared industries, then closeness, then strongest to weakest.

[pairing]
shape = "one_to_many"
capacity = "capacity"
unmatched = "allow"

[[require]]
rule = "max_distance"
km = 15

[[require]]
rule = "stronger"
by = "strength"
margin = 10

[[prefer]]
score = "domain_fit"
mentor_column = "industries"
mentee_column = "industries"
weight = 3

[[prefer]]
score = "closeness"
weight = 2
scale_km = 15

[[prefer]]
score = "strong_to_weak"
by = "strength"
weight = 1
"""


def village_strength(income, star) -> np.ndarray:
    """Composite 0–100: half from income (log scale, capped at 100 万), half from the star."""
    inc = np.log1p(np.minimum(np.asarray(income, dtype=float), 100.0)) / np.log1p(100.0)
    return fmt(50.0 * inc + 50.0 * (np.asarray(star, dtype=float) - 1.0) / 4.0, 1)[1]


def villages(folder: Path) -> None:
    rng = np.random.default_rng(2022_0526)
    n_v, n_s, n_w = VL_N
    taken_names: set[str] = set()
    taken_villages: set[str] = set()
    towns = pd.DataFrame(PL_TOWNS, columns=["township", "t_lat", "t_lon", "wealth", "profile"])
    towns["t_idx"] = np.arange(len(towns))
    counts = alloc(n_v, rng.integers(12, 20, len(towns)))
    vil = build_villages(rng, towns, counts, "家庄渠闸堡湖滩湾桥营园井墩", "家庄营", taken_villages)
    ti = vil["t_idx"].to_numpy()

    # ---- strong / weak / other, township by township (rows are in township order) ----------
    wealth = towns["wealth"].to_numpy()
    n_s_t, n_w_t = alloc(n_s, counts * wealth), alloc(n_w, counts / wealth)
    assert (n_s_t + n_w_t <= counts).all() and (n_s_t >= 1).all()
    order = np.lexsort((rng.random(n_v), ti))  # random order inside each township
    start = np.concatenate([[0], np.cumsum(counts)[:-1]])
    rank = np.empty(n_v, dtype=int)
    rank[order] = np.arange(n_v) - start[ti[order]]
    weak = rank < n_w_t[ti]
    strong = ~weak & (rank < (n_w_t + n_s_t)[ti])
    sub = np.full(n_v, "", dtype=object)
    sub[rng.permutation(np.flatnonzero(weak))] = np.repeat(
        np.array(list(VL_WEAK_KINDS)), list(VL_WEAK_KINDS.values())
    )
    soft = np.isin(sub, ["both", "soft"])
    econ = np.isin(sub, ["both", "econ"])
    shell = np.zeros(n_v, dtype=bool)
    shell[rng.choice(np.flatnonzero(econ), VL_SHELL, replace=False)] = True

    # ---- income (万元), star, strength ----------------------------------------------------
    u, g = rng.random(n_v), rng.gamma(1.5, 1.0, n_v)
    income = np.select(
        [strong, shell, econ, soft],
        [20 + 14 * g, 3 * u, 3 + 6.9 * u, 10 + 8 * u],
        default=10 + 8 * g,
    )
    income = fmt(np.minimum(income, 150.0), 1)[1]
    star_other = rng.choice([2, 3, 4, 5], n_v, p=[0.15, 0.45, 0.3, 0.1])
    star_other = np.where((income >= 20) & (star_other >= 4), 3, star_other)  # not "strong"
    star = np.select(
        [strong, soft, econ],
        [
            rng.choice([4, 5], n_v, p=[0.6, 0.4]),
            rng.choice([1, 2], n_v),
            rng.choice([2, 3, 4], n_v, p=[0.25, 0.45, 0.3]),
        ],
        default=star_other,
    )
    strength = village_strength(income, star)
    flags = np.select(
        [soft & econ, soft, econ], ["软弱涣散;集体经济薄弱", "软弱涣散", "集体经济薄弱"], default=""
    )

    # ---- industries: the township's profile, newer ones in strong villages, 劳务 in weak ----
    profile = np.array([[t in p.split(";") for t in INDUSTRIES] for p in towns["profile"]])
    w = 0.35 + 5.0 * profile[ti]
    col = {t: j for j, t in enumerate(INDUSTRIES)}
    for t in ("乡村旅游", "电商", "葡萄酒"):
        w[strong, col[t]] *= 2.0
    w[weak, col["劳务"]] *= 2.0
    k = np.where(strong, rng.choice([2, 3], n_v), rng.choice([1, 2, 3], n_v, p=[0.35, 0.45, 0.2]))
    industries, _ = sample_tags(rng, w, k, INDUSTRIES)
    secretary = make_names(rng, n_v, taken_names)
    capacity = np.where(
        star == 5, rng.choice([1, 2], n_v, p=[0.3, 0.7]), rng.choice([1, 2], n_v, p=[0.6, 0.4])
    )

    # ---- tables ---------------------------------------------------------------------------
    sample_id = np.full(n_v, "", dtype=object)
    sample_id[strong] = [f"SV{i:03d}" for i in range(1, n_s + 1)]
    sample_id[weak] = [f"WV{i:03d}" for i in range(1, n_w + 1)]
    v = pd.DataFrame(
        {
            "village_id": [f"V{i:03d}" for i in range(1, n_v + 1)],
            "village": vil["village"].to_numpy(),
            "city": "石嘴山市",
            "county": "平罗县",
            "township": vil["township"].to_numpy(),
            "lat": vil["lat"].to_numpy(),
            "lon": vil["lon"].to_numpy(),
            "industries": industries,
            "collective_income_wan": income,
            "party_org_star": star,
            "strength": strength,
            "weak_flags": flags,
            "secretary": secretary,
            "role": np.select([strong, weak], ["strong", "weak"], default=""),
            "sample_id": sample_id,
        }
    )
    common = ["name", "kind", "city", "county", "township", "village", "lat", "lon", "industries"]
    common += ["collective_income_wan", "party_org_star", "strength"]
    side = v.assign(name=v["village"], kind="org")
    m = side[strong].rename(columns={"sample_id": "mentor_id"})
    m = m.assign(capacity=capacity[strong])[["mentor_id", *common, "capacity", "secretary"]]
    e = side[weak].rename(columns={"sample_id": "mentee_id"})
    e = e.assign(priority=np.where(soft[weak], 1, 2))
    e = e[["mentee_id", *common, "secretary", "weak_flags", "priority"]]
    floats = {"lat": 5, "lon": 5, "collective_income_wan": 1, "strength": 1}
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(v, folder / "villages.csv", floats)
    write_csv(m, folder / "mentors.csv", floats)
    write_csv(e, folder / "mentees.csv", floats)
    write_text(folder / "rules.toml", VL_RULES)
    stats = verify_villages(folder)
    write_text(folder / "README.md", vl_readme(folder, stats))


def verify_villages(folder: Path) -> dict:
    """Re-read the files and check them; return the counts the README reports."""
    v = pd.read_csv(folder / "villages.csv", encoding="utf-8", keep_default_na=False)
    m, e = read_back(folder, keep_default_na=False)
    n_v, n_s, n_w = VL_N
    assert (len(v), len(m), len(e)) == VL_N
    assert v["village_id"].is_unique and v["village_id"].is_monotonic_increasing
    assert m["mentor_id"].is_unique and m["mentor_id"].is_monotonic_increasing
    assert e["mentee_id"].is_unique and e["mentee_id"].is_monotonic_increasing
    assert v["village"].is_unique and v["secretary"].is_unique
    assert not v["secretary"].isin(BLOCKLIST).any()
    assert v["township"].nunique() == len(PL_TOWNS)
    assert v["lat"].between(38.6, 39.1).all() and v["lon"].between(106.25, 106.85).all()
    centre = pd.DataFrame(PL_TOWNS).set_index(0).reindex(v["township"])
    off = haversine_km(v["lat"], v["lon"], centre[1].to_numpy(), centre[2].to_numpy())
    assert (off <= 5.01).all(), "village more than 5 km from its township centre"
    inc, star = v["collective_income_wan"], v["party_org_star"]
    assert inc.between(0, 150).all() and star.between(1, 5).all()
    assert np.allclose(v["strength"], village_strength(inc, star), atol=0.051)
    assert v["strength"].between(0, 100).all()
    # the strong set is exactly star >= 4 and income >= 20; the weak set exactly the flagged
    assert ((v["role"] == "strong") == ((star >= 4) & (inc >= 20))).all()
    flagged = v["weak_flags"] != ""
    assert ((v["role"] == "weak") == flagged).all()
    assert ((inc < 10) == v["weak_flags"].str.contains("集体经济薄弱")).all()
    soft = v["weak_flags"].str.contains("软弱涣散")
    assert (star[soft] <= 2).all() and int((flagged & (inc <= 3)).sum()) >= VL_SHELL
    known = set(INDUSTRIES)
    assert v["industries"].str.split(";").map(lambda xs: set(xs) <= known and len(xs) >= 1).all()
    # mentors / mentees are the strong / weak rows of villages.csv, column for column
    for df, idc, role in ((m, "mentor_id", "strong"), (e, "mentee_id", "weak")):
        ref = v[v["role"] == role].reset_index(drop=True)
        assert (df[idc] == ref["sample_id"]).all() and (df["name"] == df["village"]).all()
        for c in ("village", "township", "lat", "lon", "industries", "secretary", "strength"):
            assert (df[c] == ref[c]).all(), c
        assert (df["kind"] == "org").all()
    assert m["capacity"].isin([1, 2]).all()
    assert (e["priority"] == np.where(e["weak_flags"].str.contains("软弱涣散"), 1, 2)).all()

    # Task 1 (结对共建): candidates under the hard rules; max-flow coverage
    dist = haversine_km(
        m["lat"].to_numpy()[:, None],
        m["lon"].to_numpy()[:, None],
        e["lat"].to_numpy()[None, :],
        e["lon"].to_numpy()[None, :],
    )
    gap = m["strength"].to_numpy()[:, None] - e["strength"].to_numpy()[None, :]
    cand = (dist <= 15) & (gap > 10)
    n_cand = cand.sum(axis=0)
    assert (n_cand >= 1).all(), "a weak village has no candidate partner"
    filled = max_flow_filled(cand, m["capacity"].to_numpy(), np.ones(len(e), dtype=int))
    assert filled.sum() >= 0.9 * len(e)
    shared = (
        tag_mask(m["industries"], INDUSTRIES)[:, None]
        & tag_mask(e["industries"], INDUSTRIES)[None, :]
    ) != 0
    # Task 2 (跨村任职): the weakest villages, a strong village of the same township within 10 km
    s_sorted = np.sort(e["strength"].to_numpy())
    assert s_sorted[VL_TASK2 - 1] < s_sorted[VL_TASK2], "the weakest six are not well defined"
    w6 = np.argsort(e["strength"].to_numpy(), kind="stable")[:VL_TASK2]
    same_town = m["township"].to_numpy()[:, None] == e["township"].to_numpy()[None, w6]
    cand2 = same_town & (dist[:, w6] <= 10)
    filled2 = max_flow_filled(cand2, np.ones(len(m), dtype=int), np.ones(VL_TASK2, dtype=int))
    assert filled2.sum() == VL_TASK2, "跨村任职 cannot post all six"
    return {
        "cand_pairs": int(cand.sum()),
        "median_cand": float(np.median(n_cand)),
        "min_cand": int(n_cand.min()),
        "max_filled": int(filled.sum()),
        "with_shared": int((cand & shared).any(axis=0).sum()),
        "gap_cut": int(((dist <= 15) & (gap <= 10)).sum()),
        "task2": e["mentee_id"].to_numpy()[w6].tolist(),
        "task2_cand": cand2.sum(axis=0).tolist(),
    }


def vl_readme(folder: Path, stats: dict) -> str:
    v = pd.read_csv(folder / "villages.csv", encoding="utf-8", keep_default_na=False)
    m, e = read_back(folder, keep_default_na=False)
    towns = [t[0] for t in PL_TOWNS]

    def by_town(s: pd.Series) -> np.ndarray:
        return s.reindex(towns, fill_value=0).to_numpy()

    per = pd.DataFrame(
        {
            "乡镇 township": towns,
            "villages": by_town(v.groupby("township").size()),
            "strong": by_town(m.groupby("township").size()),
            "capacity": by_town(m.groupby("township")["capacity"].sum()),
            "weak": by_town(e.groupby("township").size()),
            "软弱涣散": by_town(e[e["priority"] == 1].groupby("township").size()),
        }
    )
    per["industries (main)"] = [t[4].replace(";", "、") for t in PL_TOWNS]
    flags = e["weak_flags"].value_counts()
    n_shell = int(((v["weak_flags"] != "") & (v["collective_income_wan"] <= 3)).sum())
    w6 = e.set_index("mentee_id").loc[stats["task2"]].reset_index()
    w6 = w6[["mentee_id", "village", "township", "strength", "weak_flags"]].assign(
        candidates=stats["task2_cand"]
    )
    return f"""# villages — 平罗县 强村带弱村 结对共建 and 跨村任职 (synthetic)

Organisation pairing: a strong village party organisation (强村) helps a weak one (弱村)
— 强村带弱村、以强带弱、以富带贫, paired by 地域相近、产业相连 (neighbouring villages whose
industries connect), as in the 青铜峡 and 横水镇 programmes (see the research notes). Both sides
are organisations (`kind=org`). Two tasks use the same villages:

1. **结对共建** (`rules.toml`): each weak village gets one strong partner village; a strong
   village takes one (一带一) or two (一带二).
2. **跨村任职** (below, in Python): the six weakest villages each get an acting secretary — the
   sitting secretary of a strong village in the same township, nearest first (按照就近原则).

平罗县 (石嘴山市, Ningxia) and its 13 townships (7 镇, 6 乡) are real, with approximate centres
(good to several km); 陶乐镇, 高仁乡 and 红崖子乡 lie east of the Yellow River, which the
straight-line distances ignore. The {len(v)} villages (the real county has about 140), their
positions (within 5 km of the township centre), incomes, stars, industries and secretaries are
invented. Every person name is synthetic. Generated by `scripts/make_samples.py` (seeded).

## Terms
- 村级集体经济收入 `collective_income_wan`: the village collective's yearly income in 万元
  (10,000 yuan). 集体经济薄弱村: below 10 万 (the 横水镇 target is 10 万 for every village);
  "空壳村" (empty-shell village): almost none, here 0–3 万 ({n_shell} villages).
- 党组织星级 `party_org_star`: the party organisation's star rating (1–5, 星级评定).
- 软弱涣散村党组织: a party organisation rated weak and lax — here star 1–2; top priority.
- `strength` (0–100) = 50 × ln(1 + min(income, 100)) / ln(101) + 50 × (star − 1) / 4, one decimal.
- Strong village (强村): star ≥ 4 and income ≥ 20 万 (the 青铜峡 figure). Weak village (弱村):
  软弱涣散 or income < 10 万. Every village is one, the other or neither.

## Files and columns
- `villages.csv` — all {len(v)} villages, for notebooks and maps: `village_id`, `village`, `city`,
  `county`, `township`, `lat`, `lon`, `industries` (`;`-separated), `collective_income_wan`,
  `party_org_star`, `strength`, `weak_flags`, `secretary` (sitting party secretary, synthetic),
  `role` (strong / weak / empty), `sample_id` (its `mentor_id` or `mentee_id`).
- `mentors.csv` — the {len(m)} strong villages: `mentor_id` (SV…), `name` (= `village`), `kind` (org),
  `city`, `county`, `township`, `village`, `lat`, `lon`, `industries`, `collective_income_wan`,
  `party_org_star`, `strength`, `capacity` (1 = 一带一, 2 = 一带二; total {int(m["capacity"].sum())}),
  `secretary`.
- `mentees.csv` — the {len(e)} weak villages: `mentee_id` (WV…), the same columns without
  `capacity`, plus `weak_flags` ({", ".join(f"{k} {v}" for k, v in flags.items())}) and `priority`
  (1 if 软弱涣散, else 2).

Industries: {"、".join(INDUSTRIES)}. Each township has a main set (table); strong villages run
乡村旅游 / 电商 / 葡萄酒 more often, weak ones 劳务.

{md_table(per)}

## Task 1 — 结对共建 (`rules.toml`)
One-to-many with the `capacity` column, unmatched allowed. Hard: ≤ 15 km; `strength` more than
10 points above the weak village's (`stronger`, margin 10). Soft: shared industries
(`domain_fit` on the `industries` columns, weight 3), closeness (weight 2, 15 km scale),
strongest to weakest by `strength` (weight 1).

Every weak village has at least one candidate ({stats["cand_pairs"]} candidate pairs, median
{stats["median_cand"]:.0f} and at least {stats["min_cand"]} per weak village); {stats["with_shared"]} of
{len(e)} have a candidate sharing an industry. The strength margin removes {stats["gap_cut"]} pairs
that are close enough (集体经济薄弱 villages with a 4-star party organisation against 4-star strong
villages). A maximum flow pairs {stats["max_filled"]} of {len(e)} at once.

```python
import banghdai as bd
roster = bd.load_sample("villages")
result = roster.problem().solve()
```

## Task 2 — 跨村任职 (cross-village posting)
The six weakest villages (lowest `strength`) each get an acting secretary: the sitting secretary
of a strong village in the same township within 10 km, each strong village lending at most one.
With villages within 5 km of their township centre, the same township already implies ≤ 10 km;
the distance rule is kept as the programmes state it.

```python
import banghdai as bd
mentors, mentees = bd.load_sample("villages")
weakest = mentees.nsmallest(6, "strength")
p = bd.Problem(mentors, weakest, pairing=bd.OneToOne())
p.require(bd.SameRegion("township"), bd.MaxDistance(km=10))
p.prefer(bd.Closeness(weight=1, scale_km=10))
posting = p.solve().pairs.merge(mentors[["mentor_id", "secretary"]], on="mentor_id")
```

{md_table(w6)}

(`candidates`: strong villages of the same township within 10 km; a matching posts all six.)
"""


def main() -> None:
    for name, build in (
        ("yinchuan", yinchuan),
        ("fushan", fushan),
        ("fanxian", fanxian),
        ("villages", villages),
    ):
        build(OUT / name)
        files = sorted((OUT / name).iterdir())
        size = sum(f.stat().st_size for f in files)
        print(f"{name}: {', '.join(f.name for f in files)} ({size / 1024:.1f} KiB)")
    y = verify_yinchuan(OUT / "yinchuan")
    print(y["per"].to_string(index=False))
    print(
        f"total: capacity {int(y['tot']['capacity'])} / demand {int(y['tot']['demand'])}; "
        f"with candidate {int(y['tot']['with_candidate'])}/{int(y['tot']['mentees'])}; "
        f"max-flow slots {int(y['tot']['max_filled'])}; fully served {y['fully_served']}; "
        f"same-county pairs > 60 km {y['over60_pairs']} ({y['over60_mentees']} mentees)"
    )
    vs = verify_villages(OUT / "villages")
    print(
        f"villages: {vs['cand_pairs']} candidate pairs, min {vs['min_cand']} per weak village; "
        f"max-flow pairs {vs['max_filled']}/{VL_N[2]}; sharing an industry {vs['with_shared']}; "
        f"跨村任职 candidates {vs['task2_cand']}"
    )


if __name__ == "__main__":
    main()
