/**
 * Micrometer meters for migo-smtp: {@link io.migo.smtp.micrometer.MicrometerSmtpMetrics} implements core's
 * {@link io.migo.smtp.SmtpMetrics} on the application's {@link io.micrometer.core.instrument.MeterRegistry}. This
 * module depends on micrometer-core only; the registry (Prometheus, OTLP, JMX, ...) is the application's choice.
 */
package io.migo.smtp.micrometer;
