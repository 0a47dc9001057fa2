"""Search under load: bulk indexing into an Elasticsearch-compatible server, and query latency on
Elasticsearch and on the PostgreSQL fallback.

Run from the repository root: `.venv/bin/python bench/search_engines.py`.
Starts an in-memory osmem server
(OpenSearch-compatible, the same one the tests use) and a throwaway PostgreSQL database
(BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432; dropped afterwards), generates
BENCH_SEARCH_ENTRIES entries (default 100,000) of office Chinese with mixed access lists, and
measures:
- the indexing rate of `search_reindex`'s Elasticsearch path (entries → bulk helper → new index →
  alias swap) against a raw bulk-helper loop of ready-made documents into the same server;
- query p50/p95 for a fixed query set as an ordinary employee: Elasticsearch's server-side `took`
  (and the client's wall time), and the PostgreSQL backend's wall time.
BENCH_ELASTICSEARCH_URL (+ BENCH_ELASTICSEARCH_SERVER_MODE=stack) measures a real cluster instead
of osmem. Writes bench/results/search.json. Goals: ≥ 2,000 entries/s and ≥ 0.7× the raw loop;
ES p95 ≤ 50 ms; PostgreSQL p95 ≤ 150 ms.
"""

import json
import os
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.harness import finish  # noqa: E402

ENTRIES = int(os.environ.get("BENCH_SEARCH_ENTRIES", "100000"))
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
ROUNDS = int(os.environ.get("BENCH_SEARCH_ROUNDS", "5"))
GOALS = {"rate": 2000, "ratio": 0.7, "es_p95_ms": 50, "postgres_p95_ms": 150}

WORDS = [
    "安全生产",
    "质量管理",
    "请假",
    "年休假",
    "财务报销",
    "差旅费",
    "会议纪要",
    "通知",
    "公告",
    "人事任免",
    "培训计划",
    "考勤制度",
    "合同管理",
    "采购招标",
    "设备维护",
    "信息化建设",
    "网络安全",
    "保密工作",
    "档案管理",
    "党建工作",
    "工会活动",
    "职工福利",
    "绩效考核",
    "预算编制",
    "审计整改",
    "节能减排",
    "环境保护",
    "消防演练",
    "应急预案",
    "技术创新",
    "专利申报",
    "标准化",
    "拖拉机",
    "发动机",
    "生产计划",
    "销售合同",
    "客户服务",
    "市场开拓",
    "产品质量",
    "工艺改进",
    "安全检查",
    "隐患排查",
    "值班安排",
    "放假通知",
    "体检安排",
    "住房公积金",
    "社会保险",
    "劳动合同",
    "岗位职责",
    "组织机构",
    "领导班子",
    "工作报告",
    "调研报告",
    "情况通报",
    "整改措施",
    "表彰决定",
    "处分决定",
    "规章制度",
    "管理办法",
    "实施细则",
    "工作方案",
]
FILLER = [
    "的",
    "和",
    "与",
    "及",
    "对",
    "在",
    "按照",
    "根据",
    "为了",
    "进一步",
    "加强",
    "做好",
    "落实",
    "开展",
    "推进",
    "完善",
    "各单位",
    "各部门",
]
UNITS = [("HQ", "集团总部"), ("TLJ", "拖拉机公司"), ("DLI", "动力公司"), ("ZDA", "重型装备公司")]
KINDS = ["news", "notice", "knowledge", "document", "person"]
QUERIES = [
    "安全生产",
    "请假",
    "年休假",
    "财务报销",
    "会议纪要",
    "网络安全",
    "考勤制度",
    "拖拉机",
    "休假",
    "生产",
    "质量管理办法",
    "应急预案 消防演练",
    "一拖〔2025〕1238号",
    "王伟",
    "信息化",
    "隐患排查整改",
    "标准化",
    "职工福利",
    "采购招标 合同管理",
    "体检",
    "一拖〔2026〕1238号",
    "刘芳",
]
SURNAMES, GIVEN = "王李张刘陈杨赵黄周吴", "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚"
# Common characters paired into a few thousand further "words", so that a query word matches a
# realistic share of the entries (a few percent), not a third of them.
COMMON = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面"
    "而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把"
    "性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质"
)
RNG_WORDS = random.Random(7)
VOCABULARY = sorted({RNG_WORDS.choice(COMMON) + RNG_WORDS.choice(COMMON) for _ in range(4000)})
REPEATS = int(os.environ.get("BENCH_SEARCH_REPEATS", "1"))


def generate(count: int):
    from search.registry import SearchEntry

    rng = random.Random(2026)
    start = datetime(2024, 1, 1, 9, 0).astimezone()
    for n in range(count):
        kind = KINDS[n % len(KINDS)]
        unit, unit_name = UNITS[rng.randrange(len(UNITS))]
        title_words = [
            rng.choice(WORDS) if rng.random() < 0.3 else rng.choice(VOCABULARY)
            for _ in range(rng.randint(2, 4))
        ]
        body = "".join(
            (rng.choice(WORDS) if rng.random() < 0.05 else rng.choice(VOCABULARY))
            + rng.choice(FILLER)
            for _ in range(rng.randint(20, 45))
        )
        roll = rng.random()
        if roll < 0.6:
            access = ("all",)
        elif roll < 0.9:
            access = (f"org:{UNITS.index((unit, unit_name)) + 1:04d}",)
        else:
            access = (f"user:{rng.randrange(1, 5000)}",)
        exact = ()
        title = "关于" + "".join(title_words) + "的" + rng.choice(["通知", "报告", "办法", "意见"])
        if kind == "document":
            exact = (f"一拖〔{2024 + n % 3}〕{n % 5000}号",)
        elif kind == "person":
            title = SURNAMES[(n // 5) % 10] + GIVEN[(n // 50) % 21] + GIVEN[(n // 1050) % 21]
            exact = (title, f"E{n:06d}")
        yield SearchEntry(
            kind=kind,
            key=str(n),
            title=title,
            body=body,
            url=f"/{kind}/{n}/",
            unit=unit,
            unit_name=unit_name,
            date=start + timedelta(hours=n % 20000),
            tags=tuple(rng.sample(WORDS, 2)),
            exact=exact,
            access=access,
        )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 2)


def create_postgres_database() -> tuple[str, str]:
    import psycopg2

    name = f"xt_search_bench_{os.getpid()}"
    connection = psycopg2.connect(f"{POSTGRES_URL}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    return name, f"{POSTGRES_URL}/{name}"


def drop_postgres_database(name: str) -> None:
    import psycopg2

    connection = psycopg2.connect(f"{POSTGRES_URL}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    connection.close()


def main() -> None:
    database_name, database_url = create_postgres_database()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="intranet.settings.test",
        DATABASE_URL=database_url,
        LOG_LEVEL="WARNING",
    )
    os.environ.pop("ELASTICSEARCH_URL", None)
    from osmem_server import OsmemServer

    cluster_url = os.environ.get("BENCH_ELASTICSEARCH_URL", "")
    server = None if cluster_url else OsmemServer.start()
    try:
        figures = run(cluster_url or server.url)
        figures["elasticsearch_server"] = "cluster" if cluster_url else f"osmem {server.version}"
    finally:
        if server is not None:
            server.close()
        from django.db import connections

        connections.close_all()
        drop_postgres_database(database_name)
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    finish("search", figures)


def run(elasticsearch_url: str) -> dict:
    import logging

    import django

    django.setup()
    logging.getLogger("elastic_transport").setLevel(logging.WARNING)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from elasticsearch.helpers import bulk

    from search import indexing, registry, text
    from search.backends import database, elasticsearch
    from search.query import SearchQuery

    call_command("migrate", verbosity=0)
    settings.ELASTICSEARCH_URL = elasticsearch_url
    # osmem (OpenSearch-compatible) needs "serverless"; a real cluster takes "stack".
    server_mode = os.environ.get("BENCH_ELASTICSEARCH_SERVER_MODE", "serverless")
    settings.ELASTICSEARCH_OPTIONS = {"server_mode": server_mode, "request_timeout": 120}
    settings.SEARCH_INDEX_ALIAS = "bench-entries"
    text.words("预热")  # jieba's dictionary loads once per process; not part of any figure

    print(f"Generating {ENTRIES:,} entries…", flush=True)
    entries = list(generate(ENTRIES))
    client = elasticsearch.client()

    def raw_loop() -> float:
        name = f"bench-raw-{time.monotonic_ns()}"
        elasticsearch.create_index(name)
        documents = [
            {"_index": name, "_id": e.doc_id, "_source": elasticsearch.source_for(e)}
            for e in entries
        ]
        started = time.perf_counter()
        bulk(client, documents, chunk_size=500)
        elapsed = time.perf_counter() - started
        client.indices.delete(index=name)
        return ENTRIES / elapsed

    class BenchProvider(registry.SearchProvider):
        kind, label = "bench", "bench"

        def entries(self):
            return iter(entries)

        def entry_for(self, key):
            return None

    saved = registry.providers()
    for provider in saved:
        registry.unregister(provider.kind)
    registry.register(BenchProvider())

    def ours() -> float:
        started = time.perf_counter()
        indexing.rebuild(to_database=False, to_elasticsearch=True)
        return ENTRIES / (time.perf_counter() - started)

    print("Indexing into osmem (a raw bulk loop, then search_reindex's path)…", flush=True)
    raw_rates, our_rates = [], []
    for _ in range(REPEATS):
        raw_rates.append(raw_loop())
        our_rates.append(ours())
    raw_rate, our_rate = max(raw_rates), max(our_rates)

    searcher = ("all", "org:0001", "org:0002", "user:42")
    labels = {}
    es_took, es_wall = [], []
    for _ in range(ROUNDS):
        for query in QUERIES:
            started = time.perf_counter()
            results = elasticsearch.search(SearchQuery.build(query), searcher, labels)
            es_wall.append((time.perf_counter() - started) * 1000)
            es_took.append(results.took_ms)

    print("Writing the database index (jieba segmentation)…", flush=True)
    started = time.perf_counter()
    for batch in indexing.batches(entries, 1000):
        database.write(batch)
    database_rate = ENTRIES / (time.perf_counter() - started)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    postgres_wall = []
    totals = {}
    for round_number in range(ROUNDS + 1):
        for query in QUERIES:
            started = time.perf_counter()
            results = database.search(SearchQuery.build(query), searcher, labels)
            if round_number:  # the first round warms PostgreSQL's caches
                postgres_wall.append((time.perf_counter() - started) * 1000)
            totals[query] = results.total

    for provider in saved:
        registry.register(provider)
    figures = {
        "entries": ENTRIES,
        "bulk_rate_per_s": round(our_rate),
        "raw_bulk_rate_per_s": round(raw_rate),
        "bulk_ratio_to_raw": round(our_rate / raw_rate, 2),
        "database_index_rate_per_s": round(database_rate),
        "queries": len(QUERIES),
        "rounds": ROUNDS,
        "elasticsearch_took_p50_ms": percentile(es_took, 0.5),
        "elasticsearch_took_p95_ms": percentile(es_took, 0.95),
        "elasticsearch_wall_p50_ms": percentile(es_wall, 0.5),
        "elasticsearch_wall_p95_ms": percentile(es_wall, 0.95),
        "postgres_p50_ms": percentile(postgres_wall, 0.5),
        "postgres_p95_ms": percentile(postgres_wall, 0.95),
        "postgres_matches_per_query": totals,
        "goals": GOALS,
    }
    figures["meets_goals"] = (
        figures["bulk_rate_per_s"] >= GOALS["rate"]
        and figures["bulk_ratio_to_raw"] >= GOALS["ratio"]
        and figures["elasticsearch_took_p95_ms"] <= GOALS["es_p95_ms"]
        and figures["postgres_p95_ms"] <= GOALS["postgres_p95_ms"]
    )
    return figures


if __name__ == "__main__":
    main()
