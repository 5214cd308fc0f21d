-- Catalog migration 1 -> 2: the landmark sequences of `biomech-extract` (docs/EXTRACT.md).
-- Applied inside one transaction, to new catalogs too (after catalog.sqlite.sql), so this file is
-- the one definition of these objects.

-- One row per video that extraction has tried: the latest attempt. The files are
-- <landmarks>/<path>, <path without .npy>.world.npy and .json (docs/SEQUENCES.md).
CREATE TABLE sequences (
    video_id          INTEGER PRIMARY KEY REFERENCES videos(id) ON DELETE CASCADE,
    path              TEXT,             -- e.g. 'countix/17.npy', relative to the landmarks folder; NULL unless status is 'ok'
    video_sha256      TEXT NOT NULL,    -- the video file that was read (videos.sha256 at the time)
    frames            INTEGER NOT NULL, -- frames kept after resampling (T); 0 when decoding failed early
    fps               REAL,             -- the rate frames were resampled to
    detected_fraction REAL,             -- share of frames with a person, 0-1
    mean_visibility   REAL,             -- mean landmark visibility over frames with a person
    backend           TEXT NOT NULL,    -- e.g. 'mediapipe-0.10.35 pose_landmarker_full video'
    settings_sha256   TEXT NOT NULL,    -- of the settings and the backend's library and model hashes
    status            TEXT NOT NULL CHECK (status IN ('ok', 'no_person', 'decode_error', 'worker_crash')),
    message           TEXT,             -- why, for every status but 'ok'; warnings for 'ok'
    seconds           REAL NOT NULL,    -- wall time of the attempt
    extracted_at      TEXT NOT NULL,    -- ISO 8601, UTC
    CHECK ((status = 'ok') = (path IS NOT NULL))
) STRICT;
CREATE INDEX sequences_status ON sequences(status);

-- The problems view gains failed extractions.
DROP VIEW problems;
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
    WHERE receipt_state = 'partial'
UNION ALL
SELECT v.dataset, v.path, 'extract_' || s.status, s.message FROM sequences s JOIN videos v ON v.id = s.video_id
    WHERE s.status <> 'ok';

PRAGMA user_version = 2;
