using EvGateway.Charging;
using EvGateway.Charging.Control;
using EvGateway.Charging.Schedules;
using EvGateway.Charging.Tariff;
using EvGateway.Vehicles;
using EvGateway.Vehicles.Capabilities;
using Microsoft.Extensions.Options;

namespace EvGateway.Charging.Smart;

/// <summary>Turns "reach X % by Y" into the cheapest charging the car can be told to do, and tells it.</summary>
public sealed class SmartChargeService(
    VehicleDirectory directory,
    VehicleStatusCache cache,
    TariffClient tariff,
    ChargeControlService chargeControl,
    IEnumerable<IChargeScheduling> schedulers,
    IEnumerable<IDailyChargeScheduling> dailySchedulers,
    SmartChargeGoals goals,
    TimeProvider time,
    IOptions<ChargingOptions> options,
    IOptionsMonitor<GatewayOptions> gateway)
{
    public const string Infeasible = "plan_infeasible";
    public const string CapacityUnknown = "battery_capacity_unknown";

    /// <summary>The schedule smart charging writes; the car numbers its schedules 1 to 5.</summary>
    public const int SmartChargeScheduleId = 5;
    private static readonly TimeSpan StatusMaxAge = TimeSpan.FromMinutes(5);
    private readonly TimeZoneInfo zone = options.Value.ResolveTimeZone();

    public async Task<SmartChargePlanView> PlanAsync(string vin, int targetPercent, DateTimeOffset readyBy, double? maxPrice,
        ChargeStrategy? strategy, CancellationToken cancellationToken)
    {
        var question = await AskAsync(vin, targetPercent, readyBy, maxPrice, cancellationToken);
        var plan = question.Plan(strategy ?? ChargeStrategy.Contiguous);
        return View(question, plan);
    }

    /// <summary>
    /// Plans and applies, in the form the car can express. A car with weekly schedules gets the split plan when it fits
    /// the car's schedule rules (else the window) as its active schedule in scheduled mode; a car with a daily window
    /// gets the cheapest window; a car with a daily start time gets that start. Charge control stops the charge at the
    /// target on every car that can be stopped remotely or keeps a charge limit of its own.
    /// </summary>
    public async Task<SmartChargeApplied> ApplyAsync(string vin, int targetPercent, DateTimeOffset readyBy, double? maxPrice,
        CancellationToken cancellationToken)
    {
        ReadOnlyGuard.ThrowIfReadOnly(gateway.CurrentValue, "smart charging");
        var question = await AskAsync(vin, targetPercent, readyBy, maxPrice, cancellationToken);
        var vehicle = question.Entry.Vehicle;
        var (plan, applied) = dailySchedulers.FirstOrDefault(s => s.Supports(vehicle)) is { } daily
            ? await ApplyDailyAsync(vehicle, daily, question, cancellationToken)
            : schedulers.FirstOrDefault(s => s.Supports(vehicle)) is { } weekly
                ? await ApplyWeeklyAsync(vehicle, weekly, question, cancellationToken)
                : throw GatewayException.CapabilityNotSupported(vehicle.Vin, "smart charging (the car takes no charge schedule or delayed start)");

        // A car that cannot be stopped remotely stops at its own charge limit when the target is one it accepts, and
        // otherwise at its window's end.
        string stop;
        if (chargeControl.CanHoldThreshold(vehicle, targetPercent))
        {
            await chargeControl.SetAsync(vehicle.Vin, current => current with { PercentageThreshold = targetPercent }, cancellationToken);
            stop = vehicle.Has(VehicleCapability.ChargeStop)
                ? $"charge control stops at {targetPercent} %"
                : $"the car's own charge limit stops it at {targetPercent} %";
        }
        else
        {
            stop = $"the window's end stops the charge near {targetPercent} %";
        }

        var view = View(question, plan);
        await goals.SetAsync(new SmartChargeGoal(vehicle.Vin, targetPercent, readyBy, maxPrice,
            question.Prices.Count > 0 ? question.Prices[^1].End : question.Now, view.Slots), cancellationToken);
        return new SmartChargeApplied(view, $"{applied}; {stop}");
    }

    private async Task<(ChargePlan Plan, string Applied)> ApplyWeeklyAsync(Vehicle vehicle, IChargeScheduling scheduler, Question question,
        CancellationToken cancellationToken)
    {
        var kept = (await scheduler.GetAsync(vehicle, cancellationToken)).Schedules;
        var plan = question.Plan(ChargeStrategy.Split);
        var schedules = ScheduleFor(plan, kept);
        if (ChargeScheduleRules.Check(schedules) is not null)
        {
            plan = question.Plan(ChargeStrategy.Contiguous);
            schedules = ScheduleFor(plan, kept);
        }

        View(question, plan);
        await scheduler.SetAsync(vehicle, schedules, cancellationToken);
        cache.Invalidate(vehicle.Vin, time.GetUtcNow());
        return (plan, $"charge schedule {SmartChargeScheduleId} with {schedules.Schedules.Single(s => s.Activated).Periods.Count} period(s), scheduled mode");
    }

    // One daily time can only say "from here" (and "until here"): the cheapest contiguous window, in the car's local time.
    private async Task<(ChargePlan Plan, string Applied)> ApplyDailyAsync(Vehicle vehicle, IDailyChargeScheduling scheduler, Question question,
        CancellationToken cancellationToken)
    {
        var plan = question.Plan(ChargeStrategy.Contiguous);
        View(question, plan);
        if (plan.Slots.Count == 0)
        {
            return (plan, "no charge needed");
        }

        CarDailyCharge charge;
        string applied;
        if (scheduler.Form(vehicle) == DailyChargeForm.Window)
        {
            // The window's end is what stops these cars, so it keeps the planned length, rounded up to the car's quarter hours.
            var start = FloorToQuarter(plan.Slots[0].Start.ToUniversalTime());
            var localStart = TimeOnly.FromDateTime(LocalTime.InZone(start, zone).DateTime);
            var planned = (plan.Slots[^1].End - plan.Slots[0].Start).TotalMinutes;
            var minutes = (int)Math.Min(1440, Math.Ceiling(planned / 15) * 15);
            charge = new CarDailyCharge(CarChargeMode.Scheduled, localStart, minutes);
            applied = $"daily charge window {localStart:HH:mm}–{localStart.AddMinutes(minutes):HH:mm}, scheduled mode";
        }
        else
        {
            charge = new CarDailyCharge(CarChargeMode.Scheduled, TimeOnly.FromDateTime(LocalTime.InZone(plan.Slots[0].Start, zone).DateTime), null);
            applied = $"delayed charge start at {charge.Start:HH:mm}";
        }

        await scheduler.SetAsync(vehicle, charge, cancellationToken);
        cache.Invalidate(vehicle.Vin, time.GetUtcNow());
        return (plan, applied);
    }

    private async Task<Question> AskAsync(string vin, int targetPercent, DateTimeOffset readyBy, double? maxPrice, CancellationToken cancellationToken)
    {
        var entry = await directory.FindAsync(vin, cancellationToken);
        var vehicle = entry.Vehicle;
        var now = time.GetUtcNow();
        if (readyBy <= now)
        {
            throw GatewayException.Validation("readyBy: must be in the future.");
        }

        var capacity = options.Value.BatteryCapacityKwh.TryGetValue(vehicle.Model, out var configured) ? configured
            : vehicle.BatteryCapacityKwh ?? throw new GatewayException(CapacityUnknown, 422,
                $"The usable battery capacity of a {vehicle.Model} is unknown; set Charging:BatteryCapacityKwh:{vehicle.Model}.");
        var status = await cache.GetAsync(entry, StatusMaxAge, cancellationToken);
        var level = status.BatteryLevel ?? throw GatewayException.Unavailable(vehicle.Maker, "the car did not report its battery level");
        var power = status.ChargePowerKw is > 0 and var reported ? reported : options.Value.DefaultChargePowerKw;
        var energy = Math.Max(0, targetPercent - level) / 100 * capacity;
        var prices = await tariff.GetPricesAsync(cancellationToken);
        return new Question(entry, targetPercent, readyBy, maxPrice, now, level, power, energy, prices);
    }

    private SmartChargePlanView View(Question question, ChargePlan plan)
    {
        if (!plan.Feasible)
        {
            var cap = question.MaxPrice is { } max ? $" at no more than {max} per kWh" : "";
            throw new GatewayException(Infeasible, 422,
                $"Only {plan.PlannedEnergyKwh:0.##} of the {plan.EnergyKwh:0.##} kWh needed can be charged before {LocalTime.InZone(question.ReadyBy, zone):O}{cap} with the prices known so far.");
        }

        return new SmartChargePlanView(
            question.Entry.Vehicle.Vin,
            question.TargetPercent,
            LocalTime.InZone(question.ReadyBy, zone),
            plan.Strategy == ChargeStrategy.Split ? "split" : "contiguous",
            question.Level,
            question.PowerKw,
            plan.Slots.Select(s => new SmartChargeSlot(LocalTime.InZone(s.Start, zone), LocalTime.InZone(s.End, zone), s.PricePerKwh)).ToList(),
            Math.Round(plan.EnergyKwh, 3),
            Math.Round(plan.ExpectedCost, 3),
            ChargePlanner.CostIfChargedNow(question.Prices, question.Now, question.EnergyKwh, question.PowerKw) is { } now ? Math.Round(now, 3) : null);
    }

    /// <summary>
    /// The plan as the car's one active schedule (number <see cref="SmartChargeScheduleId"/>), periods widened to the
    /// car's quarter hours; the owner's other schedules are kept, switched off.
    /// </summary>
    private static CarChargeSchedules ScheduleFor(ChargePlan plan, IReadOnlyList<CarSchedule> kept)
    {
        var periods = new List<(DateTimeOffset Start, DateTimeOffset End)>();
        foreach (var slot in plan.Slots)
        {
            var start = FloorToQuarter(slot.Start.ToUniversalTime());
            var end = CeilingToQuarter(slot.End.ToUniversalTime());
            if (periods.Count > 0 && periods[^1].End >= start)
            {
                periods[^1] = (periods[^1].Start, end > periods[^1].End ? end : periods[^1].End);
            }
            else
            {
                periods.Add((start, end));
            }
        }

        var carPeriods = periods
            .Select(p => new CarPeriod(p.Start.DayOfWeek, TimeOnly.FromTimeSpan(p.Start.TimeOfDay), (int)(p.End - p.Start).TotalMinutes))
            .ToList();
        var others = kept.Where(s => s.Id != SmartChargeScheduleId).Select(s => s with { Activated = false });
        return new CarChargeSchedules(CarChargeMode.Scheduled, [.. others, new CarSchedule(SmartChargeScheduleId, true, carPeriods)]);
    }

    private static DateTimeOffset FloorToQuarter(DateTimeOffset t) =>
        new(t.Ticks - t.Ticks % TimeSpan.FromMinutes(15).Ticks, TimeSpan.Zero);

    private static DateTimeOffset CeilingToQuarter(DateTimeOffset t) =>
        FloorToQuarter(t) == t ? t : FloorToQuarter(t) + TimeSpan.FromMinutes(15);

    private sealed record Question(VehicleEntry Entry, int TargetPercent, DateTimeOffset ReadyBy, double? MaxPrice, DateTimeOffset Now,
        double Level, double PowerKw, double EnergyKwh, IReadOnlyList<PriceSlot> Prices)
    {
        public ChargePlan Plan(ChargeStrategy strategy) => strategy == ChargeStrategy.Split
            ? ChargePlanner.CheapestSlots(Prices, Now, ReadyBy, EnergyKwh, PowerKw, MaxPrice)
            : ChargePlanner.CheapestWindow(Prices, Now, ReadyBy, EnergyKwh, PowerKw, MaxPrice);
    }
}
