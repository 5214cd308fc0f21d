-- biomech catalog schema (SQLite), version 1. Authoritative.
--
-- `biomech-catalog scan` creates catalog.sqlite from this file (it is compiled into the program),
-- then applies the migrations in Sources/CatalogStore/migrations/ in order, to new and old
-- catalogs alike: v2-sequences.sql adds the `sequences` table of biomech-extract, v3-windows.sql
-- the `windows` table of biomech-window, v4-youtube.sql the `youtube_videos` table of yt-dlp's
-- metadata and more exercises. The connection turns on WAL and foreign keys itself
-- (PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON), because neither is stored by this script.
-- Analysts: open with `sqlite3 -readonly catalog.sqlite` and start from the views at the bottom.

-- Canonical exercise vocabulary. Every `videos.exercise` is one of these names.
CREATE TABLE exercises (
    name        TEXT PRIMARY KEY,       -- snake_case, e.g. bench_press
    description TEXT NOT NULL
);

-- Other spellings that label rules and annotation files may use; matched case-insensitively after
-- turning '-', ' ' and '.' into '_' and dropping brackets and quotes (so "Push-Up", "push up" and
-- "push_up" are one alias). A spelling with its underscores removed also matches ("BackSquat").
CREATE TABLE exercise_aliases (
    alias    TEXT PRIMARY KEY,           -- normalized: lowercase, separators as '_'
    exercise TEXT NOT NULL REFERENCES exercises(name)
);

-- One row per dataset manifest (manifests/NAME.yaml), with provenance from its fetch receipt
-- (data/raw/NAME/FETCHED.json, docs/FETCH.md).
CREATE TABLE datasets (
    name            TEXT PRIMARY KEY,
    title           TEXT NOT NULL,
    homepage        TEXT NOT NULL,
    license         TEXT NOT NULL,
    commercial_use  INTEGER NOT NULL CHECK (commercial_use IN (0, 1)),
    access          TEXT NOT NULL CHECK (access IN ('http', 'manual', 'youtube', 'generated')),
    manifest_sha256 TEXT NOT NULL,      -- of the manifest file's bytes at scan time
    receipt_sha256  TEXT,               -- of FETCHED.json; NULL when there is no receipt
    receipt_state   TEXT CHECK (receipt_state IN ('complete', 'partial')),
    fetched_at      TEXT,               -- the receipt's updated_at (ISO 8601, UTC)
    scanned_at      TEXT NOT NULL       -- last scan of this dataset (ISO 8601, UTC)
);

-- One row per video file under data/raw/NAME/files/. Probe fields come from libavformat in
-- process (docs/VIDEO.md); they are NULL when probe_error is set.
CREATE TABLE videos (
    id              INTEGER PRIMARY KEY,
    dataset         TEXT NOT NULL REFERENCES datasets(name) ON DELETE CASCADE,
    path            TEXT NOT NULL,      -- relative to the dataset's files/ folder
    sha256          TEXT NOT NULL,
    size_bytes      INTEGER NOT NULL,
    mtime           REAL NOT NULL,      -- seconds since 1970; with size_bytes, decides re-probing
    container       TEXT,               -- libavformat's format name, e.g. 'mov,mp4,m4a,3gp,3g2,mj2'
    codec           TEXT,               -- e.g. 'h264', 'vp9', 'mjpeg'
    width           INTEGER,            -- coded size, before rotation
    height          INTEGER,
    rotation        INTEGER CHECK (rotation IN (0, 90, 180, 270)),  -- clockwise, for display
    fps             REAL,               -- average frame rate
    duration_s      REAL,
    frame_count     INTEGER,
    frame_count_counted INTEGER CHECK (frame_count_counted IN (0, 1)),  -- 1: counted by demuxing
    has_audio       INTEGER CHECK (has_audio IN (0, 1)),
    probe_error     TEXT,               -- NULL when the file probed fine
    exercise        TEXT REFERENCES exercises(name),
    exercise_source TEXT CHECK (exercise_source IN ('path_rule', 'filename_rule', 'annotation', 'manual')),
    quality         TEXT CHECK (quality IN ('excellent', 'good', 'fair', 'poor')),
    quality_source  TEXT CHECK (quality_source IN ('path_rule', 'filename_rule', 'annotation', 'manual')),
    group_key       TEXT NOT NULL,      -- subject or source video; a group never spans two splits
    source_key      TEXT,               -- the source clip (e.g. 'youtube:ID:10_20'); equal keys are duplicates
    split           TEXT NOT NULL CHECK (split IN ('train', 'val', 'test')),
    duplicate_of    INTEGER REFERENCES videos(id) ON DELETE SET NULL,  -- the canonical copy
    scanned_at      TEXT NOT NULL,
    UNIQUE (dataset, path),
    CHECK ((exercise IS NULL) = (exercise_source IS NULL)),
    CHECK ((quality IS NULL) = (quality_source IS NULL)),
    CHECK (probe_error IS NOT NULL OR frame_count IS NOT NULL)
);
CREATE INDEX videos_sha256 ON videos(sha256);
CREATE INDEX videos_group ON videos(group_key);
CREATE INDEX videos_source ON videos(source_key);
CREATE INDEX videos_exercise ON videos(exercise, quality);

-- Labels from a dataset's annotation files (e.g. Countix's CSV), one row per fact.
CREATE TABLE annotations (
    id          INTEGER PRIMARY KEY,
    video_id    INTEGER NOT NULL REFERENCES videos(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,          -- 'repetition_count', 'repetition_span', 'class', 'error_label'
    value       TEXT,                   -- e.g. the class as written in the file
    number      REAL,                   -- e.g. the count
    start_s     REAL,                   -- spans, in seconds from the start of the video file
    end_s       REAL,
    source_file TEXT NOT NULL,          -- relative to the dataset's files/ folder
    source_line INTEGER NOT NULL
);
CREATE INDEX annotations_video ON annotations(video_id);

-- Settings that decide splits; a change of ratios re-splits every video.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Tables of later stages are added by their migrations (Sources/CatalogStore/migrations/):
-- v2-sequences.sql, the landmark `sequences` of biomech-extract; v3-windows.sql, the `windows` of
-- biomech-window.

-- The canonical vocabulary and its aliases.
INSERT INTO exercises (name, description) VALUES
    ('squat', 'Barbell, goblet or bodyweight squat'),
    ('deadlift', 'Conventional, sumo or Romanian deadlift'),
    ('bench_press', 'Barbell or dumbbell bench press'),
    ('overhead_press', 'Standing barbell or dumbbell press overhead'),
    ('lunge', 'Forward, reverse or walking lunge'),
    ('pushup', 'Push-up'),
    ('pullup', 'Pull-up or chin-up'),
    ('situp', 'Sit-up or crunch'),
    ('plank', 'Plank hold'),
    ('jumping_jack', 'Jumping jack'),
    ('barbell_row', 'Bent-over barbell or dumbbell row'),
    ('bicep_curl', 'Barbell or dumbbell biceps curl'),
    ('tricep_extension', 'Triceps extension or dip'),
    ('lateral_raise', 'Lateral or front raise'),
    ('mountain_climber', 'Mountain climber');
INSERT INTO exercise_aliases (alias, exercise) VALUES
    ('squats', 'squat'), ('back_squat', 'squat'), ('backsquat', 'squat'), ('front_squat', 'squat'),
    ('goblet_squat', 'squat'), ('air_squat', 'squat'), ('squatting', 'squat'),
    ('deadlifts', 'deadlift'), ('dead_lift', 'deadlift'), ('romanian_deadlift', 'deadlift'), ('rdl', 'deadlift'),
    ('sumo_deadlift', 'deadlift'), ('deadlifting', 'deadlift'),
    ('bench', 'bench_press'), ('benchpress', 'bench_press'), ('bench_pressing', 'bench_press'),
    ('incline_bench_press', 'bench_press'), ('decline_bench_press', 'bench_press'),
    ('ohp', 'overhead_press'), ('shoulder_press', 'overhead_press'), ('military_press', 'overhead_press'),
    ('overheadpress', 'overhead_press'), ('press_overhead', 'overhead_press'),
    ('lunges', 'lunge'), ('walking_lunge', 'lunge'), ('lunging', 'lunge'),
    ('push_up', 'pushup'), ('push_ups', 'pushup'), ('pushups', 'pushup'), ('press_up', 'pushup'),
    ('pull_up', 'pullup'), ('pull_ups', 'pullup'), ('pullups', 'pullup'), ('chin_up', 'pullup'), ('chinups', 'pullup'),
    ('sit_up', 'situp'), ('sit_ups', 'situp'), ('situps', 'situp'), ('crunch', 'situp'), ('crunches', 'situp'),
    ('planks', 'plank'), ('planking', 'plank'),
    ('jumping_jacks', 'jumping_jack'), ('jumpingjacks', 'jumping_jack'),
    ('bent_over_row', 'barbell_row'), ('row', 'barbell_row'), ('rows', 'barbell_row'), ('t_bar_row', 'barbell_row'),
    ('curl', 'bicep_curl'), ('curls', 'bicep_curl'), ('biceps_curl', 'bicep_curl'), ('barbell_biceps_curl', 'bicep_curl'),
    ('hammer_curl', 'bicep_curl'),
    ('tricep_dips', 'tricep_extension'), ('triceps_extension', 'tricep_extension'), ('tricep_pushdown', 'tricep_extension'),
    ('front_raises', 'lateral_raise'), ('front_raise', 'lateral_raise'), ('lateral_raises', 'lateral_raise'),
    ('mountain_climbers', 'mountain_climber'), ('mountain_climber_exercise', 'mountain_climber');

-- Per dataset: how much there is and how much of it is a problem.
CREATE VIEW dataset_summary AS
SELECT d.name AS dataset,
       COUNT(v.id) AS videos,
       ROUND(COALESCE(SUM(v.duration_s), 0) / 3600.0, 2) AS hours,
       ROUND(COALESCE(SUM(v.size_bytes), 0) / 1e9, 3) AS gigabytes,
       COALESCE(SUM(v.exercise IS NOT NULL), 0) AS with_exercise,
       COALESCE(SUM(v.quality IS NOT NULL), 0) AS with_quality,
       COALESCE(SUM(v.probe_error IS NOT NULL), 0) AS probe_errors,
       COALESCE(SUM(v.duplicate_of IS NOT NULL), 0) AS duplicates,
       d.receipt_state, d.license, d.commercial_use
FROM datasets d LEFT JOIN videos v ON v.dataset = d.name
GROUP BY d.name;

-- Usable videos by exercise and quality ('unlabeled' where a label is missing).
CREATE VIEW exercise_quality AS
SELECT COALESCE(exercise, 'unlabeled') AS exercise, COALESCE(quality, 'unlabeled') AS quality,
       COUNT(*) AS videos, ROUND(SUM(duration_s) / 60.0, 1) AS minutes
FROM videos WHERE probe_error IS NULL AND duplicate_of IS NULL
GROUP BY 1, 2;

-- Split sizes per exercise, with each split's share of the exercise's videos.
CREATE VIEW split_balance AS
SELECT COALESCE(exercise, 'unlabeled') AS exercise, split, COUNT(*) AS videos,
       COUNT(DISTINCT group_key) AS groups,
       ROUND(100.0 * COUNT(*) / SUM(COUNT(*)) OVER (PARTITION BY COALESCE(exercise, 'unlabeled')), 1) AS percent
FROM videos WHERE probe_error IS NULL AND duplicate_of IS NULL
GROUP BY 1, 2;

-- Everything that needs a person's attention, one row per video and problem.
CREATE VIEW problems AS
SELECT dataset, path, 'probe_error' AS problem, probe_error AS detail FROM videos WHERE probe_error IS NOT NULL
UNION ALL
SELECT dataset, path, 'no_exercise', 'no label rule or annotation matched' FROM videos
    WHERE exercise IS NULL AND probe_error IS NULL
UNION ALL
SELECT v.dataset, v.path, 'duplicate', 'copy of ' || c.dataset || '/' || c.path FROM videos v
    JOIN videos c ON c.id = v.duplicate_of
UNION ALL
SELECT name, NULL, 'no_receipt', 'no FETCHED.json: the dataset was not fetched with biomech-fetch' FROM datasets
    WHERE receipt_state IS NULL AND access <> 'generated'
UNION ALL
SELECT name, NULL, 'partial_fetch', 'FETCHED.json says partial: some YouTube clips could not be fetched' FROM datasets
    WHERE receipt_state = 'partial';

PRAGMA user_version = 1;
