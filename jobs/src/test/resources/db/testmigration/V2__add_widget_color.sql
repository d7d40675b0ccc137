-- A second step, so the tests see migrations applied in order.
ALTER TABLE widget ADD COLUMN color TEXT;
