-- A product's stock may be split over several Redis slots (stock shards, 1..64, fixed at creation).
ALTER TABLE product ADD COLUMN shards int NOT NULL DEFAULT 1 CHECK (shards BETWEEN 1 AND 64);
