using EvGateway.Charging.Tariff;
using Microsoft.Data.Sqlite;

namespace EvGateway.History;

/// <summary>A price the owner set for one charging session: a price per kWh from the grid, or the whole cost.</summary>
public sealed record EditedPrice(DateTimeOffset Start, double? PricePerKwh, double? Cost);

/// <summary>
/// The SQL of the prices kept in the history file: the day-ahead slots seen in the feed (which forgets past ones, so
/// they are kept here to price sessions later) and the prices the owner set per session. Times are Unix milliseconds.
/// </summary>
public static class HistoryPrices
{
    /// <summary>Stores the slots; a slot already held (same start) takes the newer price.</summary>
    public static int SaveSlots(SqliteConnection connection, IEnumerable<PriceSlot> slots) => HistorySql.ForEachRow(connection, """
            INSERT INTO price_slot (start_at, end_at, price) VALUES ($start, $end, $price)
            ON CONFLICT (start_at) DO UPDATE SET end_at = excluded.end_at, price = excluded.price
            WHERE end_at <> excluded.end_at OR price <> excluded.price;
            """,
        ["$start", "$end", "$price"],
        slots.Select(slot => new object?[] { slot.Start.ToUnixTimeMilliseconds(), slot.End.ToUnixTimeMilliseconds(), slot.PricePerKwh }));

    /// <summary>The stored slots that overlap [from, to), in time order, in the feed's unit.</summary>
    public static List<PriceSlot> ReadSlots(SqliteConnection connection, DateTimeOffset from, DateTimeOffset to) =>
        HistorySql.ReadWindow(connection, "SELECT start_at, end_at, price FROM price_slot WHERE start_at < $to AND end_at > $from ORDER BY start_at;",
            vin: null, from, to, reader => new PriceSlot(HistorySql.Instant(reader, 0), HistorySql.Instant(reader, 1), reader.GetDouble(2)));

    /// <summary>Keeps the owner's price of the session of <paramref name="vin"/> that started at <see cref="EditedPrice.Start"/>.</summary>
    public static void SaveEdit(SqliteConnection connection, string vin, EditedPrice edit)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO charge_price (vin, start_at, price_per_kwh, cost) VALUES ($vin, $start, $price, $cost)
            ON CONFLICT (vin, start_at) DO UPDATE SET price_per_kwh = excluded.price_per_kwh, cost = excluded.cost;
            """;
        command.Parameters.AddWithValue("$vin", vin.ToUpperInvariant());
        command.Parameters.AddWithValue("$start", edit.Start.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$price", (object?)edit.PricePerKwh ?? DBNull.Value);
        command.Parameters.AddWithValue("$cost", (object?)edit.Cost ?? DBNull.Value);
        command.ExecuteNonQuery();
    }

    /// <summary>The owner's prices of sessions of <paramref name="vin"/> that started in [from, to).</summary>
    public static List<EditedPrice> ReadEdits(SqliteConnection connection, string vin, DateTimeOffset from, DateTimeOffset to) =>
        HistorySql.ReadWindow(connection, "SELECT start_at, price_per_kwh, cost FROM charge_price WHERE vin = $vin AND start_at >= $from AND start_at < $to;",
            vin, from, to, reader => new EditedPrice(HistorySql.Instant(reader, 0), HistorySql.Nullable(reader, 1), HistorySql.Nullable(reader, 2)));
}
