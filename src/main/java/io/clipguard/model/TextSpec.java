package io.clipguard.model;

/**
 * How text becomes the text encoder's input: token ids padded or truncated to a fixed length.
 *
 * @param contextLength tokens per text, including the begin and end tokens (77 for CLIP)
 * @param bosTokenId id of the begin-of-text token the tokenizer puts first
 * @param eosTokenId id of the end-of-text token; the encoder pools at its first occurrence
 * @param padTokenId id that fills the rest of the context
 * @param lowercase whether texts are lower-cased before tokenising
 */
public record TextSpec(int contextLength, long bosTokenId, long eosTokenId, long padTokenId, boolean lowercase) {}
