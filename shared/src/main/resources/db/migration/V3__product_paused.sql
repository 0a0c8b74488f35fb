-- An admin's pause of a sale (POST /admin/products/{id}/pause): Redis refuses the sale while its
-- meta says paused; Postgres keeps the flag so that the product list and a later preload know it.
ALTER TABLE product ADD COLUMN paused boolean NOT NULL DEFAULT false;
