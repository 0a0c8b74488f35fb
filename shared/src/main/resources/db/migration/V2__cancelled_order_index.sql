-- Reconciliation gives Redis the stock of recently cancelled orders on every run: without an index
-- that is a scan of every order ever placed. Partial, so placing an order (not CANCELLED) never
-- touches it.
CREATE INDEX purchase_order_cancelled ON purchase_order (cancelled_at) WHERE status = 'CANCELLED';
