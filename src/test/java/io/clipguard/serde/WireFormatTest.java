package io.clipguard.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.serde.AvroSerdeException.Problem;
import org.junit.jupiter.api.Test;

class WireFormatTest {
    private static final String WHERE = "topic uploads (value)";

    @Test
    void framesWithMagicByteAndBigEndianSchemaId() {
        byte[] framed = WireFormat.frame(0x01020304, new byte[] {42, 43});

        assertArrayEquals(new byte[] {0, 1, 2, 3, 4, 42, 43}, framed);
    }

    @Test
    void parsesTheSchemaIdBack() {
        assertEquals(
                70000,
                WireFormat.parse(WireFormat.frame(70000, new byte[0]), WHERE).schemaId());
    }

    @Test
    void rejectsAnUnknownMagicByteNamingTopicAndByte() {
        AvroSerdeException e =
                assertThrows(AvroSerdeException.class, () -> WireFormat.parse("{\"json\":1}".getBytes(), WHERE));

        assertEquals(Problem.BAD_MAGIC_BYTE, e.problem());
        assertTrue(e.getMessage().contains("topic uploads (value)"), e.getMessage());
        assertTrue(e.getMessage().contains("0x7b"), e.getMessage());
    }

    @Test
    void rejectsAHeaderShorterThanFiveBytes() {
        AvroSerdeException e =
                assertThrows(AvroSerdeException.class, () -> WireFormat.parse(new byte[] {0, 0, 1}, WHERE));

        assertEquals(Problem.TRUNCATED_HEADER, e.problem());
        assertTrue(e.getMessage().contains("only 3 bytes"), e.getMessage());
    }

    @Test
    void rejectsEmptyBytes() {
        AvroSerdeException e = assertThrows(AvroSerdeException.class, () -> WireFormat.parse(new byte[0], WHERE));

        assertEquals(Problem.TRUNCATED_HEADER, e.problem());
    }
}
