using EvGateway.Charging.Tariff;

namespace EvGateway.Charging.Smart;

/// <summary>
/// Picks when to charge from day-ahead prices. Both strategies charge at a constant power, only inside priced
/// periods that lie between now and the ready-by time and cost at most the price cap.
/// </summary>
public static class ChargePlanner
{
    /// <summary>
    /// Split-slot: the cheapest periods, anywhere in the window. Taking periods cheapest first is optimal because a
    /// kWh costs the same wherever it falls inside a period; the dearest period taken is only used as long as needed.
    /// </summary>
    public static ChargePlan CheapestSlots(IReadOnlyList<PriceSlot> prices, DateTimeOffset now, DateTimeOffset readyBy, double energyKwh,
        double powerKw, double? maxPrice)
    {
        var planned = new List<PlannedSlot>();
        var remaining = energyKwh;
        foreach (var slot in Usable(prices, now, readyBy, maxPrice).OrderBy(s => s.PricePerKwh).ThenBy(s => s.Start))
        {
            if (remaining <= Tolerance)
            {
                break;
            }

            var energy = Math.Min(remaining, powerKw * (slot.End - slot.Start).TotalHours);
            planned.Add(new PlannedSlot(slot.Start, slot.Start + TimeSpan.FromHours(energy / powerKw), slot.PricePerKwh, energy));
            remaining -= energy;
        }

        return ChargePlan.From(ChargeStrategy.Split, planned.OrderBy(s => s.Start).ToList(), energyKwh);
    }

    /// <summary>
    /// Contiguous window, for cars that can only be given one start time: the cheapest whole-minute start. The cost of
    /// a window is piecewise linear in its start, bending only where the window's start or end crosses a period
    /// boundary, so the best whole-minute start is next to one of those points (or at an end of the feasible range).
    /// </summary>
    public static ChargePlan CheapestWindow(IReadOnlyList<PriceSlot> prices, DateTimeOffset now, DateTimeOffset readyBy, double energyKwh,
        double powerKw, double? maxPrice)
    {
        if (energyKwh <= Tolerance)
        {
            return ChargePlan.From(ChargeStrategy.Contiguous, [], energyKwh);
        }

        var duration = TimeSpan.FromHours(energyKwh / powerKw);
        var earliest = CeilingToMinute(now);
        var latest = FloorToMinute(readyBy - duration);
        var usable = Usable(prices, now, readyBy, maxPrice).ToList();
        var candidates = new SortedSet<DateTimeOffset> { earliest, latest };
        foreach (var boundary in usable.SelectMany(s => new[] { s.Start, s.End }))
        {
            foreach (var point in new[] { boundary, boundary - duration })
            {
                candidates.Add(FloorToMinute(point));
                candidates.Add(CeilingToMinute(point));
            }
        }

        List<PlannedSlot>? best = null;
        var bestCost = double.MaxValue;
        foreach (var start in candidates.Where(c => c >= earliest && c <= latest))
        {
            if (Cover(usable, start, start + duration, powerKw) is { } window && Cost(window) < bestCost - Tolerance)
            {
                best = window;
                bestCost = Cost(window);
            }
        }

        return ChargePlan.From(ChargeStrategy.Contiguous, best ?? [], energyKwh);
    }

    /// <summary>What the same energy costs when charging starts right away; null when the prices do not reach that far.</summary>
    public static double? CostIfChargedNow(IReadOnlyList<PriceSlot> prices, DateTimeOffset now, double energyKwh, double powerKw)
    {
        if (energyKwh <= Tolerance)
        {
            return 0;
        }

        var window = Cover(prices, now, now + TimeSpan.FromHours(energyKwh / powerKw), powerKw);
        return window is null ? null : Cost(window);
    }

    private const double Tolerance = 1e-9;

    private static IEnumerable<PriceSlot> Usable(IReadOnlyList<PriceSlot> prices, DateTimeOffset now, DateTimeOffset readyBy, double? maxPrice) =>
        prices
            .Where(s => maxPrice is null || s.PricePerKwh <= maxPrice)
            .Select(s => s with { Start = s.Start > now ? s.Start : now, End = s.End < readyBy ? s.End : readyBy })
            .Where(s => s.End > s.Start);

    /// <summary>The pieces of [from, to) covered by priced periods, or null when a gap leaves part of it unpriced.</summary>
    private static List<PlannedSlot>? Cover(IEnumerable<PriceSlot> prices, DateTimeOffset from, DateTimeOffset to, double powerKw)
    {
        var pieces = new List<PlannedSlot>();
        var reached = from;
        foreach (var slot in prices.Where(s => s.End > from && s.Start < to).OrderBy(s => s.Start))
        {
            if (slot.Start > reached)
            {
                return null;
            }

            var end = slot.End < to ? slot.End : to;
            if (end > reached)
            {
                pieces.Add(new PlannedSlot(reached, end, slot.PricePerKwh, powerKw * (end - reached).TotalHours));
                reached = end;
            }
        }

        return reached >= to ? pieces : null;
    }

    private static double Cost(IEnumerable<PlannedSlot> slots) => slots.Sum(s => s.PricePerKwh * s.EnergyKwh);

    private static DateTimeOffset FloorToMinute(DateTimeOffset t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerMinute, t.Offset);

    private static DateTimeOffset CeilingToMinute(DateTimeOffset t) =>
        t.Ticks % TimeSpan.TicksPerMinute == 0 ? t : FloorToMinute(t) + TimeSpan.FromMinutes(1);
}
