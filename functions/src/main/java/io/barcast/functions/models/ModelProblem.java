package io.barcast.functions.models;

/**
 * Why a model folder's files were refused; the folder's previous model, if any, goes on serving.
 *
 * @param folder {@code default} or the symbol folder's name
 * @param fingerprint of the refused files as they were read (a missing file counts as empty), so
 *     that the same broken files are reported once
 * @param message what is wrong, naming the folder's path
 */
public record ModelProblem(String folder, String fingerprint, String message) {}
