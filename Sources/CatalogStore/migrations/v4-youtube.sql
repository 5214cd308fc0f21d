-- Catalog migration 3 -> 4: what yt-dlp says about each YouTube clip (its .info.json beside the
-- clip, docs/MANIFEST.md "youtube"), so an analyst can filter by licence and uploader; and the
-- exercises of the sets added in issue 19 (ALEX-GYM-1's single-leg Romanian deadlift).

-- One row per catalogued YouTube clip that has an info JSON; rewritten when the files change.
CREATE TABLE youtube_videos (
    video_id    INTEGER PRIMARY KEY REFERENCES videos(id) ON DELETE CASCADE,
    youtube_id  TEXT NOT NULL,      -- the 11-character video id
    title       TEXT,
    uploader    TEXT,
    uploader_id TEXT,
    channel     TEXT,
    channel_id  TEXT,
    license     TEXT,               -- as YouTube shows it, e.g. 'Creative Commons Attribution license (reuse allowed)'; NULL: none shown (standard YouTube licence)
    upload_date TEXT,               -- YYYY-MM-DD
    duration_s  REAL,               -- of the whole video, not of the clip
    webpage_url TEXT,
    source      TEXT,               -- the manifest's playlist or channel URL; NULL for clips from CSV lists
    info_file   TEXT NOT NULL       -- relative to the dataset's files/ folder
) STRICT;
CREATE INDEX youtube_videos_license ON youtube_videos(license, uploader);
CREATE INDEX youtube_videos_youtube_id ON youtube_videos(youtube_id);

-- Usable YouTube clips by dataset, licence and uploader.
CREATE VIEW youtube_licenses AS
SELECT v.dataset, COALESCE(y.license, 'standard YouTube licence (none shown)') AS license, y.uploader,
       COUNT(*) AS videos, ROUND(SUM(v.duration_s) / 60.0, 1) AS minutes
FROM youtube_videos y JOIN videos v ON v.id = y.video_id
WHERE v.probe_error IS NULL AND v.duplicate_of IS NULL
GROUP BY 1, 2, 3;

INSERT INTO exercises (name, description) VALUES
    ('single_leg_deadlift', 'Single-leg (Romanian) deadlift: a one-legged hip hinge');
INSERT INTO exercise_aliases (alias, exercise) VALUES
    ('single_leg_romanian_deadlift', 'single_leg_deadlift'), ('single_leg_rdl', 'single_leg_deadlift'),
    ('sl_rdl', 'single_leg_deadlift'), ('slrdl', 'single_leg_deadlift'),
    ('single_leg_deadlifts', 'single_leg_deadlift'), ('one_leg_deadlift', 'single_leg_deadlift');

PRAGMA user_version = 4;
