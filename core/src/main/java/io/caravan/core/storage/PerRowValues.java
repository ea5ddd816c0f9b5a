package io.caravan.core.storage;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/** Columns set to a value per row: one parameter when every row has the same, else one per row, by id. */
final class PerRowValues {
    private final List<Long> ids;
    private final List<Object> binds = new ArrayList<>();
    private final List<Integer> types = new ArrayList<>();

    PerRowValues(List<Long> ids) {
        this.ids = ids;
    }

    /** The SQL expression for {@code values}, one per id, its parameters to bind later in order. */
    String of(List<?> values, int type) {
        if (values.stream().distinct().count() == 1) {
            binds.add(values.get(0));
            types.add(type);
            return "?";
        }
        // typed: H2 cannot tell a bare parameter's type inside a CASE
        String cast = type == Types.BOOLEAN ? "CAST(? AS BOOLEAN)" : "CAST(? AS VARCHAR(1000000))";
        StringBuilder sql = new StringBuilder("CASE id");
        for (int i = 0; i < ids.size(); i++) {
            sql.append(" WHEN ? THEN ").append(cast);
            binds.add(ids.get(i));
            types.add(Types.BIGINT);
            binds.add(values.get(i));
            types.add(type);
        }
        return sql.append(" END").toString();
    }

    /** Binds the parameters from 1; the next free index. */
    int bind(PreparedStatement statement) throws SQLException {
        for (int i = 0; i < binds.size(); i++) {
            if (binds.get(i) == null) {
                statement.setNull(i + 1, types.get(i));
            } else {
                statement.setObject(i + 1, binds.get(i), types.get(i));
            }
        }
        return binds.size() + 1;
    }
}
