package com.flashsale.reconciliation;

/** Another run took the lease (a higher fence): this one must stop acting. */
class LeaseLostException extends RuntimeException {

    LeaseLostException(long fence, long current) {
        super("lease lost: fence " + fence + " superseded by " + current);
    }
}
