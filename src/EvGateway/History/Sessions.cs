using EvGateway.Vehicles;

namespace EvGateway.History;

/// <summary>Where a car was.</summary>
public sealed record Place(double Latitude, double Longitude);

/// <summary>
/// A drive between two parked samples; <c>EnergyKwh</c> is the battery energy used (level drop × capacity), null when
/// the capacity or a level is unknown.
/// </summary>
public sealed record Trip(
    DateTimeOffset Start,
    DateTimeOffset End,
    double DistanceKm,
    double? EnergyKwh,
    double? ConsumptionKwhPer100Km,
    double? StartLevel,
    double? EndLevel,
    Place? StartLocation,
    Place? EndLocation);

/// <summary>
/// A charging session; <c>End</c> and <c>EndLevel</c> are null while it goes on. <c>EnergyKwh</c> is the energy that
/// reached the battery (level gain × capacity), null when the capacity is unknown.
/// </summary>
public sealed record ChargeSession(
    DateTimeOffset Start,
    DateTimeOffset? End,
    double? StartLevel,
    double? EndLevel,
    double? EnergyKwh,
    double? MaxPowerKw,
    Place? Location);

/// <summary>
/// Trips and charging sessions found in a car's samples. Pure: the same samples in any order give the same answer.
/// Samples are put in the car's time order and repeated car times dropped; an odometer reading lower than one
/// already seen is taken as a glitch and ignored for distance.
/// </summary>
public static class Sessions
{
    /// <summary>A level gain smaller than this (points) between two samples is reading noise, not a charge.</summary>
    private const double MinimumGain = 1.0;

    public static IReadOnlyList<Trip> Trips(IEnumerable<HistorySample> samples, double? capacityKwh)
    {
        var ordered = Ordered(samples).Where(s => s.OdometerKm is not null).ToList();
        var trips = new List<Trip>();
        HistorySample? start = null;
        HistorySample? last = null;
        foreach (var sample in ordered)
        {
            if (last is null)
            {
                last = sample;
                continue;
            }

            if (sample.OdometerKm < last.OdometerKm)
            {
                continue;
            }

            var moved = sample.OdometerKm > last.OdometerKm;
            var charged = Gain(last, sample) >= MinimumGain;
            if (start is not null && (!moved || charged))
            {
                trips.Add(TripBetween(start, last, capacityKwh));
                start = null;
            }

            if (moved && start is null)
            {
                start = charged ? sample : last;
            }

            last = sample;
        }

        if (start is not null && last is not null && last.OdometerKm > start.OdometerKm)
        {
            trips.Add(TripBetween(start, last, capacityKwh));
        }

        return trips.Where(t => t.DistanceKm > 0).ToList();
    }

    public static IReadOnlyList<ChargeSession> Charges(IEnumerable<HistorySample> samples, double? capacityKwh)
    {
        var ordered = Ordered(samples).ToList();
        var sessions = new List<ChargeSession>();
        var run = new List<HistorySample>();
        HistorySample? before = null;
        foreach (var sample in ordered)
        {
            var moved = run.Count > 0 && sample.OdometerKm > run[^1].OdometerKm;
            if (sample.ChargeState == ChargeState.Charging && !moved)
            {
                run.Add(sample);
                continue;
            }

            if (run.Count > 0)
            {
                sessions.Add(SessionOf(before, run, sample, capacityKwh));
                run.Clear();
                if (sample.ChargeState == ChargeState.Charging)
                {
                    run.Add(sample);
                    before = null;
                    continue;
                }
            }
            else if (before is not null && IsUnseenCharge(before, sample))
            {
                // Charged while nobody looked: the level rose with the car parked and no charging sample between.
                sessions.Add(new ChargeSession(before.At, sample.At, before.BatteryLevel, sample.BatteryLevel,
                    Energy(before.BatteryLevel, sample.BatteryLevel, capacityKwh), null, PlaceOf(before) ?? PlaceOf(sample)));
            }

            before = sample;
        }

        if (run.Count > 0)
        {
            sessions.Add(SessionOf(before, run, null, capacityKwh));
        }

        return sessions.Where(s => s.End is null || s.EndLevel is null || s.StartLevel is null || s.EndLevel - s.StartLevel >= MinimumGain).ToList();
    }

    private static IEnumerable<HistorySample> Ordered(IEnumerable<HistorySample> samples) =>
        samples.GroupBy(s => s.At).Select(g => g.First()).OrderBy(s => s.At);

    private static Trip TripBetween(HistorySample start, HistorySample end, double? capacityKwh)
    {
        var distance = Math.Round(end.OdometerKm!.Value - start.OdometerKm!.Value, 3);
        double? energy = start.BatteryLevel is { } from && end.BatteryLevel is { } to && capacityKwh is { } capacity
            ? Math.Round(Math.Max(0, from - to) * capacity / 100, 3)
            : null;
        double? consumption = energy is { } used && distance > 0 ? Math.Round(used / distance * 100, 2) : null;
        return new Trip(start.At, end.At, distance, energy, consumption, start.BatteryLevel, end.BatteryLevel, PlaceOf(start), PlaceOf(end));
    }

    // The level the car had when it was plugged in is the last parked sample's, when the car did not move since and
    // it was not higher: it counts the energy added before the first sample that showed the charge. The start is then
    // put back by the time that energy took at the power the car reports, never before that parked sample.
    private static ChargeSession SessionOf(HistorySample? before, List<HistorySample> run, HistorySample? after, double? capacityKwh)
    {
        var first = run[0];
        var startLevel = first.BatteryLevel;
        var start = first.At;
        if (before is { BatteryLevel: { } earlier } && before.OdometerKm == first.OdometerKm && (startLevel is null || earlier < startLevel))
        {
            startLevel = earlier;
            if (Energy(earlier, first.BatteryLevel, capacityKwh) is { } unseen && first.ChargePowerKw is > 0 and var power)
            {
                var backdated = first.At - TimeSpan.FromHours(unseen / power);
                start = backdated > before.At ? backdated : before.At;
            }
        }

        var ended = after is not null && !(after.OdometerKm > run[^1].OdometerKm);
        var endLevel = ended ? after!.BatteryLevel ?? run[^1].BatteryLevel : after is null ? null : run[^1].BatteryLevel;
        DateTimeOffset? end = after is null ? null : ended ? after.At : run[^1].At;
        var maxPower = run.Select(s => s.ChargePowerKw).Where(p => p is not null).DefaultIfEmpty(null).Max();
        var lastLevel = endLevel ?? run[^1].BatteryLevel;
        return new ChargeSession(start, end, startLevel, endLevel, Energy(startLevel, lastLevel, capacityKwh), maxPower,
            run.Select(PlaceOf).FirstOrDefault(p => p is not null));
    }

    private static bool IsUnseenCharge(HistorySample before, HistorySample after) =>
        Gain(before, after) >= MinimumGain && before.OdometerKm is { } a && after.OdometerKm is { } b && a == b
        && before.ChargeState != ChargeState.Charging && after.ChargeState != ChargeState.Charging;

    private static double Gain(HistorySample before, HistorySample after) =>
        before.BatteryLevel is { } from && after.BatteryLevel is { } to ? to - from : 0;

    private static double? Energy(double? from, double? to, double? capacityKwh) =>
        from is { } a && to is { } b && capacityKwh is { } capacity ? Math.Round(Math.Max(0, b - a) * capacity / 100, 3) : null;

    private static Place? PlaceOf(HistorySample sample) =>
        sample.HasPosition ? new Place(sample.Latitude!.Value, sample.Longitude!.Value) : null;
}
