"""Turn a WXR file (from bench/sitegen.py --wxr) into SQL that loads it into a fresh WordPress.

The wordpress-importer plugin is not packaged in Debian and inserting 100,000 posts one by one
through wp_insert_post() takes far longer than the benchmark deserves, so the WXR is read with
Akhbar's own streaming reader (akhbar/importers/wxr.py) and written as batched multi-row
INSERTs into the standard WordPress tables, the rows WordPress itself would have written:
users (authors, role "author"), categories with their parents, tags, posts, comments, term
relationships, then the term counts and per-post comment counts WordPress keeps.

    python bench/wordpress/wxr_to_sql.py site.xml > load.sql
    mysql --default-character-set=utf8mb4 DB < load.sql

It expects WordPress freshly installed (admin = user 1, "Uncategorized" = term 1) and removes
the sample post, page and comment. ``<wp:is_sticky>`` is not carried over (WordPress would put
every sticky post at the top of the home page; Akhbar's "featured" flag is a different thing).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from akhbar.importers.wxr import WxrAuthor, WxrCategory, WxrItem, WxrTag, read_wxr

BATCH = 300


def q(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    for a, b in (
        ("\\", "\\\\"),
        ("\0", "\\0"),
        ("\n", "\\n"),
        ("\r", "\\r"),
        ("'", "\\'"),
        ('"', '\\"'),
        ("\x1a", "\\Z"),
    ):
        text = text.replace(a, b)
    return f"'{text}'"


class Writer:
    def __init__(self, out) -> None:
        self.out = out
        self.pending: dict[str, tuple[str, list[str]]] = {}

    def add(self, table: str, columns: str, values: tuple) -> None:
        _, rows = self.pending.setdefault(table, (columns, []))
        rows.append("(" + ",".join(q(v) for v in values) + ")")
        if len(rows) >= BATCH:
            self.flush(table)

    def flush(self, table: str | None = None) -> None:
        for name in [table] if table else list(self.pending):
            cols, rows = self.pending.get(name, ("", []))
            if rows:
                self.out.write(f"INSERT INTO {name} ({cols}) VALUES\n" + ",\n".join(rows) + ";\n")
                rows.clear()


def main() -> None:
    path = sys.argv[1]
    out = sys.stdout
    w = Writer(out)
    out.write("SET NAMES utf8mb4;\nSET autocommit=0;\nSET unique_checks=0;\n")
    out.write(
        "DELETE FROM wp_comments; DELETE FROM wp_commentmeta; DELETE FROM wp_postmeta;\n"
        "DELETE FROM wp_posts; DELETE FROM wp_term_relationships;\n"
    )
    users: dict[str, int] = {"admin": 1}
    cat_ids: dict[str, int] = {}
    tag_ids: dict[str, int] = {}
    parents: list[tuple[int, str]] = []
    post_cols = (
        "ID,post_author,post_date,post_date_gmt,post_content,post_title,post_excerpt,post_status,"
        "comment_status,ping_status,post_password,post_name,to_ping,pinged,post_modified,"
        "post_modified_gmt,post_content_filtered,post_parent,guid,menu_order,post_type,"
        "post_mime_type,comment_count"
    )
    comment_cols = (
        "comment_ID,comment_post_ID,comment_author,comment_author_email,comment_author_url,"
        "comment_author_IP,comment_date,comment_date_gmt,comment_content,comment_karma,"
        "comment_approved,comment_agent,comment_type,comment_parent,user_id"
    )
    posts = comments = 0
    for record in read_wxr(path):
        if isinstance(record, WxrAuthor):
            uid = record.id or len(users) + 1
            users[record.login] = uid
            w.add(
                "wp_users",
                "ID,user_login,user_pass,user_nicename,user_email,user_url,"
                "user_registered,user_activation_key,user_status,display_name",
                (
                    uid,
                    record.login,
                    "*",
                    record.login,
                    record.email,
                    "",
                    "2024-01-01 00:00:00",
                    "",
                    0,
                    record.display_name,
                ),
            )
            w.add(
                "wp_usermeta",
                "user_id,meta_key,meta_value",
                (uid, "wp_capabilities", 'a:1:{s:6:"author";b:1;}'),
            )
            w.add("wp_usermeta", "user_id,meta_key,meta_value", (uid, "wp_user_level", "2"))
        elif isinstance(record, WxrCategory):
            tid = record.term_id
            cat_ids[record.nicename] = tid
            w.add(
                "wp_terms", "term_id,name,slug,term_group", (tid, record.name, record.nicename, 0)
            )
            w.add(
                "wp_term_taxonomy",
                "term_taxonomy_id,term_id,taxonomy,description,parent,count",
                (tid, tid, "category", record.description, 0, 0),
            )
            if record.parent_nicename:
                parents.append((tid, record.parent_nicename))
        elif isinstance(record, WxrTag):
            tid = record.term_id
            tag_ids[record.slug] = tid
            w.add("wp_terms", "term_id,name,slug,term_group", (tid, record.name, record.slug, 0))
            w.add(
                "wp_term_taxonomy",
                "term_taxonomy_id,term_id,taxonomy,description,parent,count",
                (tid, tid, "post_tag", record.description, 0, 0),
            )
        elif isinstance(record, WxrItem) and record.post_type == "post":
            date = record.post_date.strftime("%Y-%m-%d %H:%M:%S")
            gmt = record.post_date_gmt.strftime("%Y-%m-%d %H:%M:%S")
            approved = sum(1 for c in record.comments if c.approved == "1")
            w.add(
                "wp_posts",
                post_cols,
                (
                    record.post_id,
                    users.get(record.creator, 1),
                    date,
                    gmt,
                    record.content,
                    record.title,
                    record.excerpt,
                    "publish",
                    record.comment_status or "open",
                    record.ping_status or "closed",
                    "",
                    record.post_name,
                    "",
                    "",
                    date,
                    gmt,
                    "",
                    0,
                    record.guid,
                    0,
                    "post",
                    "",
                    approved,
                ),
            )
            for term in record.categories:
                table = cat_ids if term.domain == "category" else tag_ids
                if term.nicename in table:
                    w.add(
                        "wp_term_relationships",
                        "object_id,term_taxonomy_id,term_order",
                        (record.post_id, table[term.nicename], 0),
                    )
            for c in record.comments:
                cdate = c.date.strftime("%Y-%m-%d %H:%M:%S")
                cgmt = (c.date_gmt or c.date).strftime("%Y-%m-%d %H:%M:%S")
                w.add(
                    "wp_comments",
                    comment_cols,
                    (
                        c.id,
                        record.post_id,
                        c.author,
                        c.author_email,
                        c.author_url,
                        c.author_ip,
                        cdate,
                        cgmt,
                        c.content,
                        0,
                        c.approved,
                        "",
                        "comment",
                        c.parent_id or 0,
                        0,
                    ),
                )
                comments += 1
            posts += 1
    w.flush()
    for tid, parent in parents:
        out.write(
            f"UPDATE wp_term_taxonomy SET parent = {cat_ids[parent]} "
            f"WHERE term_taxonomy_id = {tid};\n"
        )
    out.write(
        "UPDATE wp_term_taxonomy tt SET count = (SELECT COUNT(*) FROM wp_term_relationships tr "
        "WHERE tr.term_taxonomy_id = tt.term_taxonomy_id);\n"
        "DELETE FROM wp_options WHERE option_name IN ('category_children');\n"
        "COMMIT;\nANALYZE TABLE wp_posts, wp_comments, wp_terms, wp_term_taxonomy, "
        "wp_term_relationships;\n"
    )
    print(f"-- {posts} posts, {comments} comments", file=sys.stderr)


if __name__ == "__main__":
    main()
