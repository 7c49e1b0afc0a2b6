package io.jctr.cli;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A protobuf message as maps and lists for {@link JsonWriter}: set fields under their proto
 * names, enums by name, timestamps as RFC 3339, an Any as its type URL. What {@code --format
 * json} prints for events and metrics.
 */
final class ProtoJson {

    private ProtoJson() {
    }

    static Map<String, Object> toMap(Message m) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<FieldDescriptor, Object> e : m.getAllFields().entrySet()) {
            FieldDescriptor f = e.getKey();
            if (f.isMapField()) {
                Map<String, Object> map = new LinkedHashMap<>();
                for (Object entry : (List<?>) e.getValue()) {
                    Message me = (Message) entry;
                    Object k = me.getField(me.getDescriptorForType().findFieldByName("key"));
                    FieldDescriptor vf = me.getDescriptorForType().findFieldByName("value");
                    map.put(String.valueOf(k), value(vf, me.getField(vf)));
                }
                out.put(f.getName(), map);
            } else if (f.isRepeated()) {
                List<Object> list = new ArrayList<>();
                for (Object v : (List<?>) e.getValue()) {
                    list.add(value(f, v));
                }
                out.put(f.getName(), list);
            } else {
                out.put(f.getName(), value(f, e.getValue()));
            }
        }
        return out;
    }

    private static Object value(FieldDescriptor f, Object v) {
        if (v instanceof Timestamp t) {
            return Formats.time(t);
        }
        if (v instanceof Any a) {
            return Map.of("type_url", a.getTypeUrl());
        }
        if (v instanceof Message m) {
            return toMap(m);
        }
        if (v instanceof EnumValueDescriptor ev) {
            return ev.getName();
        }
        if (v instanceof ByteString b) {
            return Base64.getEncoder().encodeToString(b.toByteArray());
        }
        return v;
    }
}
