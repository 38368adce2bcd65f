/**
 * Reading and writing data: numeric CSV ({@code Csv}), labelled CSV for classification and
 * regression ({@code LabelledCsv}), both read by one line and number reader ({@code TextLines}),
 * class labels' identity and order ({@code Labels}), JSON ({@code Json}: Jackson's streaming parser and a small
 * writer), and {@code AtomicFile}, which writes to a temporary file and moves it into place so
 * that nothing half-written is left behind.
 */
package io.github.ntk4j.io;
