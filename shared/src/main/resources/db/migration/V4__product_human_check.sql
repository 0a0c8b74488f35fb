-- Human verification at the token step, per product (issue 19): none, an ALTCHA proof of work of a
-- difficulty (its maxnumber), or a hosted captcha provider. Existing products keep none.
ALTER TABLE product
    ADD COLUMN human_check            text    NOT NULL DEFAULT 'none'
        CHECK (human_check IN ('none', 'altcha', 'provider')),
    ADD COLUMN human_check_difficulty integer NOT NULL DEFAULT 0
        CHECK (human_check_difficulty BETWEEN 0 AND 10000000),
    ADD CONSTRAINT product_human_check_difficulty
        CHECK ((human_check = 'altcha') = (human_check_difficulty > 0));
