package io.migo.smtp.cli;

/**
 * The correlation id {@code bulk} gives each mail: the input's {@code id} and the line it came from. Its
 * {@code toString()} is the id alone, because that is what a {@link io.migo.smtp.BulkJournal} keys its records by: a
 * job run again with lines moved about still finds what it sent. The line is for the outcome of a message that the
 * client refused before sending (an {@code INVALID} outcome names its line).
 *
 * @param id   the input's id, unique within the input
 * @param line the line's number, from 1
 */
record LineId(String id, long line) {

  @Override
  public String toString() {
    return id;
  }
}
