-- sqlite_work.sql — a sqlite3 workload for bench/run (inserts and queries on :memory:).
-- bench/run replaces @N@ with the row count and feeds this file to `sqlite3 :memory:`.
-- Deterministic: rows come from a recursive CTE with arithmetic, not random();
-- the printed aggregates are compared across allocators.
CREATE TABLE item(id INTEGER PRIMARY KEY, grp INTEGER, name TEXT, val REAL, note TEXT);
CREATE TABLE tag(item_id INTEGER, tag TEXT);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < @N@)
INSERT INTO item SELECT i, i % 97, 'name-' || (i * 7919 % 100003), (i * 31 % 1000) / 7.0,
       substr('lorem ipsum dolor sit amet consectetur adipiscing elit', 1 + i % 40) FROM c;
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < @N@ * 2)
INSERT INTO tag SELECT (i * 13) % @N@ + 1, 't' || (i % 211) FROM c;
CREATE INDEX item_grp ON item(grp);
CREATE INDEX tag_item ON tag(item_id);
SELECT count(*), sum(val), max(length(note)) FROM item;
SELECT grp, count(*), round(avg(val), 4) FROM item GROUP BY grp ORDER BY grp LIMIT 5;
SELECT t.tag, count(*) AS n FROM tag t JOIN item i ON i.id = t.item_id
 WHERE i.grp < 50 GROUP BY t.tag ORDER BY n DESC, t.tag LIMIT 5;
SELECT count(DISTINCT name) FROM item;
SELECT group_concat(name, ',') IS NOT NULL, length(group_concat(name, ',')) FROM (SELECT name FROM item ORDER BY name);
UPDATE item SET note = note || '!' || id WHERE id % 3 = 0;
DELETE FROM tag WHERE tag LIKE 't1%';
SELECT count(*), sum(length(note)) FROM item;
SELECT count(*) FROM tag;
