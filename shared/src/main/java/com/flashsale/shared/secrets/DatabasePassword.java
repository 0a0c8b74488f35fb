package com.flashsale.shared.secrets;

/** The password of the next database connection: the current one, or a fresh one after a refusal. */
interface DatabasePassword {

    /** The password as known (cached). */
    String current();

    /** A password read or made again, because the database refused the current one. */
    String refreshed();
}
