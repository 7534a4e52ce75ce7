using EvGateway.Charging.Smart;
using EvGateway.Charging.Tariff;

namespace EvGateway.Tests.Charging.Smart;

public class ChargePlannerTests
{
    private static readonly DateTimeOffset Midnight = DateTimeOffset.Parse("2026-11-25T23:00:00Z");

    public static TheoryData<int> Seeds() => new(Enumerable.Range(1, 150));

    /// <summary>A small random day-ahead feed: half-hour periods from 23:00, sometimes with a hole, and a random question about it.</summary>
    private sealed record Case(List<PriceSlot> Prices, DateTimeOffset Now, DateTimeOffset ReadyBy, double EnergyKwh, double PowerKw, double? MaxPrice)
    {
        public static Case Random(int seed)
        {
            var random = new Random(seed);
            var count = random.Next(3, 9);
            var prices = new List<PriceSlot>();
            for (var i = 0; i < count; i++)
            {
                if (i > 0 && random.NextDouble() < 0.1)
                {
                    continue;
                }

                var start = Midnight + TimeSpan.FromMinutes(30 * i);
                prices.Add(new PriceSlot(start, start + TimeSpan.FromMinutes(30), Math.Round(random.NextDouble() * 40 - 5, 2)));
            }

            var span = TimeSpan.FromMinutes(30 * count);
            var now = Midnight + TimeSpan.FromMinutes(random.Next(0, 40));
            var readyBy = Midnight + span - TimeSpan.FromMinutes(random.Next(0, 40));
            var power = new[] { 3.7, 7.4, 11 }[random.Next(3)];
            var energy = Math.Round(random.NextDouble() * power * (readyBy - now).TotalHours * 0.9, 2);
            double? maxPrice = random.NextDouble() < 0.3 ? 20 : null;
            // Shuffled: the planner must not rely on the feed's order.
            return new Case(prices.OrderBy(_ => random.Next()).ToList(), now, readyBy, energy, power, maxPrice);
        }

        public List<PriceSlot> Usable() => Prices
            .Where(p => MaxPrice is null || p.PricePerKwh <= MaxPrice)
            .Select(p => new PriceSlot(p.Start < Now ? Now : p.Start, p.End > ReadyBy ? ReadyBy : p.End, p.PricePerKwh))
            .Where(p => p.End > p.Start)
            .ToList();

        public double Capacity(PriceSlot slot) => PowerKw * (slot.End - slot.Start).TotalHours;
    }

    /// <summary>
    /// Every vertex of the problem "deliver E kWh at minimum cost, each period holding at most power × length":
    /// some periods full, at most one partly used. The cheapest vertex is the optimum.
    /// </summary>
    private static double? BruteForceCheapestSlots(Case c)
    {
        var usable = c.Usable();
        double? best = null;
        for (var mask = 0; mask < 1 << usable.Count; mask++)
        {
            var full = usable.Where((_, i) => (mask & (1 << i)) != 0).ToList();
            var fullEnergy = full.Sum(c.Capacity);
            var fullCost = full.Sum(s => s.PricePerKwh * c.Capacity(s));
            if (Math.Abs(fullEnergy - c.EnergyKwh) < 1e-9)
            {
                best = Math.Min(best ?? double.MaxValue, fullCost);
            }

            foreach (var partial in usable.Where((_, i) => (mask & (1 << i)) == 0))
            {
                var rest = c.EnergyKwh - fullEnergy;
                if (rest >= 0 && rest <= c.Capacity(partial))
                {
                    best = Math.Min(best ?? double.MaxValue, fullCost + partial.PricePerKwh * rest);
                }
            }
        }

        return best;
    }

    /// <summary>Every whole-minute start, costed by overlapping the window with each period.</summary>
    private static double? BruteForceCheapestWindow(Case c)
    {
        var usable = c.Usable();
        var duration = TimeSpan.FromHours(c.EnergyKwh / c.PowerKw);
        double? best = null;
        for (var start = Midnight.AddMinutes(-60); start + duration <= c.ReadyBy; start = start.AddMinutes(1))
        {
            if (start < c.Now)
            {
                continue;
            }

            var end = start + duration;
            var covered = TimeSpan.Zero;
            var cost = 0.0;
            foreach (var slot in usable)
            {
                var overlap = (slot.End < end ? slot.End : end) - (slot.Start > start ? slot.Start : start);
                if (overlap > TimeSpan.Zero)
                {
                    covered += overlap;
                    cost += slot.PricePerKwh * c.PowerKw * overlap.TotalHours;
                }
            }

            if (covered >= duration - TimeSpan.FromTicks(10))
            {
                best = Math.Min(best ?? double.MaxValue, cost);
            }
        }

        return best;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void The_chosen_slots_cost_no_more_than_any_feasible_set(int seed)
    {
        var c = Case.Random(seed);

        var plan = ChargePlanner.CheapestSlots(c.Prices, c.Now, c.ReadyBy, c.EnergyKwh, c.PowerKw, c.MaxPrice);
        var optimum = BruteForceCheapestSlots(c);

        Assert.Equal(optimum is not null, plan.Feasible);
        if (optimum is { } cost)
        {
            Assert.Equal(cost, plan.ExpectedCost, precision: 6);
            Assert.Equal(c.EnergyKwh, plan.PlannedEnergyKwh, precision: 6);
            Assert.All(plan.Slots, s => Assert.True(s.Start >= c.Now && s.End <= c.ReadyBy));
            Assert.All(plan.Slots, s => Assert.True(c.MaxPrice is null || s.PricePerKwh <= c.MaxPrice));
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void The_chosen_window_costs_no_more_than_any_other_whole_minute_start(int seed)
    {
        var c = Case.Random(seed);

        var plan = ChargePlanner.CheapestWindow(c.Prices, c.Now, c.ReadyBy, c.EnergyKwh, c.PowerKw, c.MaxPrice);
        var optimum = BruteForceCheapestWindow(c);

        Assert.Equal(optimum is not null, plan.Feasible);
        if (optimum is { } cost && c.EnergyKwh > 0)
        {
            Assert.Equal(cost, plan.ExpectedCost, precision: 6);
            Assert.Equal(0, plan.Slots[0].Start.Second);
            Assert.True(plan.Slots[0].Start >= c.Now && plan.Slots[^1].End <= c.ReadyBy);
            Assert.All(plan.Slots.Zip(plan.Slots.Skip(1)), pair => Assert.Equal(pair.First.End, pair.Second.Start));
        }
    }

    [Fact]
    public void The_cheapest_night_hours_are_chosen_over_the_evening_peak()
    {
        var prices = new[] { 35.0, 30, 12, 8, 9, 15, 22, 28 }
            .Select((price, i) => new PriceSlot(Midnight.AddMinutes(30 * i), Midnight.AddMinutes(30 * (i + 1)), price))
            .Reverse()
            .ToList();

        var plan = ChargePlanner.CheapestSlots(prices, Midnight, Midnight.AddHours(4), energyKwh: 7.4, powerKw: 7.4, maxPrice: null);

        Assert.Equal([8.0, 9.0], plan.Slots.Select(s => s.PricePerKwh));
        Assert.Equal((8 + 9) * 3.7, plan.ExpectedCost, precision: 6);
        Assert.Equal(35 * 3.7 + 30 * 3.7, ChargePlanner.CostIfChargedNow(prices, Midnight, 7.4, 7.4)!.Value, precision: 6);
    }

    [Fact]
    public void Too_little_time_before_ready_by_is_reported_as_infeasible()
    {
        var prices = new List<PriceSlot> { new(Midnight, Midnight.AddMinutes(30), 10) };

        var plan = ChargePlanner.CheapestSlots(prices, Midnight, Midnight.AddMinutes(30), energyKwh: 10, powerKw: 7.4, maxPrice: null);

        Assert.False(plan.Feasible);
        Assert.Equal(3.7, plan.PlannedEnergyKwh, precision: 6);
    }
}
