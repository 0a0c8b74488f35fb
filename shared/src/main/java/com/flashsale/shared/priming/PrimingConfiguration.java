package com.flashsale.shared.priming;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * {@code flashsale.priming.*}: invoke priming before the SnapStart snapshot (http-common's
 * {@code Priming}, order-consumer's {@code OrderConsumerPriming}).
 *
 * @param rounds       {@code flashsale.priming.rounds}: how many times the function's hot paths run
 *                     through its handler in the checkpoint hook (each round a few requests; the
 *                     order consumer runs a tenth as many rounds, each two batches of orders); 0
 *                     switches priming off. 300 by default: measured with
 *                     {@code ./flashsale bench --first-invocations} (docs/benchmarks.md).
 * @param settlePasses {@code flashsale.priming.settle-passes}: at most how many passes of 150 more
 *                     rounds follow, each once the JIT compiler is idle, until one makes it compile
 *                     nothing; 0 ends priming after the rounds.
 */
@ConfigurationProperties("flashsale.priming")
public record PrimingConfiguration(@Bindable(defaultValue = "300") int rounds,
                                   @Bindable(defaultValue = "6") int settlePasses) {
}
