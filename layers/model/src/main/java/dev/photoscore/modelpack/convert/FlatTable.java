package dev.photoscore.modelpack.convert;

import com.google.flatbuffers.Table;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One flatbuffer table, its fields read by their id in the schema (field {@code n} sits at vtable offset
 * {@code 4 + 2n}). The TensorFlow Lite reader ({@link TfliteModel}) names the ids; this class only knows the wire
 * format, and every read is bounds-checked by the {@link ByteBuffer}, so a damaged file fails with an exception.
 */
final class FlatTable extends Table {

    private FlatTable(int position, ByteBuffer buffer) {
        __reset(position, buffer);
    }

    /** The root table of a flatbuffer (little-endian, offset to the root at position 0). */
    static FlatTable root(ByteBuffer buffer) {
        return new FlatTable(buffer.getInt(buffer.position()) + buffer.position(), buffer);
    }

    boolean has(int id) {
        return slot(id) != 0;
    }

    byte int8(int id, byte absent) {
        int o = slot(id);
        return o == 0 ? absent : bb.get(bb_pos + o);
    }

    int int32(int id, int absent) {
        int o = slot(id);
        return o == 0 ? absent : bb.getInt(bb_pos + o);
    }

    long int64(int id, long absent) {
        int o = slot(id);
        return o == 0 ? absent : bb.getLong(bb_pos + o);
    }

    String string(int id) {
        int o = slot(id);
        return o == 0 ? null : __string(bb_pos + o);
    }

    FlatTable table(int id) {
        int o = slot(id);
        return o == 0 ? null : new FlatTable(__indirect(bb_pos + o), bb);
    }

    List<FlatTable> tables(int id) {
        int o = slot(id);
        List<FlatTable> tables = new ArrayList<>();
        if (o != 0) {
            int start = __vector(o);
            for (int i = 0, n = __vector_len(o); i < n; i++) {
                tables.add(new FlatTable(__indirect(start + i * 4), bb));
            }
        }
        return tables;
    }

    int[] int32s(int id) {
        int o = slot(id);
        int[] values = new int[o == 0 ? 0 : __vector_len(o)];
        for (int i = 0; i < values.length; i++) {
            values[i] = bb.getInt(__vector(o) + i * 4);
        }
        return values;
    }

    long[] int64s(int id) {
        int o = slot(id);
        long[] values = new long[o == 0 ? 0 : __vector_len(o)];
        for (int i = 0; i < values.length; i++) {
            values[i] = bb.getLong(__vector(o) + i * 8);
        }
        return values;
    }

    float[] float32s(int id) {
        int o = slot(id);
        float[] values = new float[o == 0 ? 0 : __vector_len(o)];
        for (int i = 0; i < values.length; i++) {
            values[i] = bb.getFloat(__vector(o) + i * 4);
        }
        return values;
    }

    byte[] bytes(int id) {
        int o = slot(id);
        byte[] values = new byte[o == 0 ? 0 : __vector_len(o)];
        if (o != 0) {
            bb.get(__vector(o), values);
        }
        return values;
    }

    private int slot(int id) {
        return __offset(4 + 2 * id);
    }
}
