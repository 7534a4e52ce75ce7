using EvGateway.Simulator.Cars;

namespace EvGateway.Simulator.Psa;

/// <summary>What the PSA cloud knows about a car beyond its battery: fixed per model.</summary>
/// <param name="LegacyPreconditioningSpelling">Older cars answer <c>preconditionning</c>; clients must accept both.</param>
/// <param name="AuxiliaryBatteryPercent">12 V battery, reported as <c>battery.voltage</c>.</param>
/// <param name="Fuel">Plug-in hybrids report a second energy entry for their tank.</param>
/// <param name="BatteryHealthPercent">State of health at start, reported as <c>energy[].battery.health.resistance</c>.</param>
internal sealed record PsaVehicleTraits(
    string Label,
    bool LegacyPreconditioningSpelling,
    double AuxiliaryBatteryPercent,
    PsaFuelTank? Fuel,
    TimeOnly DelayedChargeTime,
    double? BatteryHealthPercent = null);

internal sealed record PsaFuelTank(int LevelPercent, int AutonomyKm);

/// <summary>A consistent view of one car as the cloud reports it.</summary>
internal sealed record PsaVehicleView(
    PsaVehicle Vehicle,
    CarSnapshot Car,
    bool Privacy,
    TimeOnly DelayedChargeTime,
    bool DelayedChargeArmed);

/// <summary>
/// A <see cref="SimulatedCar"/> as the PSA cloud sees it: an opaque id, connectivity (asleep, unresponsive, privacy)
/// and the delayed-charge programme that PSA cars use both to start charging later and to stop charging now.
/// Lock order: the car's own lock may be held when this class's lock is taken (the charge-schedule hook), never the
/// reverse, so nothing here calls into the car while holding <see cref="gate"/>.
/// </summary>
internal sealed class PsaVehicle
{
    private readonly object gate = new();
    private readonly TimeProvider time;
    private readonly TimeZoneInfo carTimeZone;
    private bool asleep;
    private bool privacy;
    private bool unresponsive;
    private CarSnapshot? lastReported;
    private TimeOnly delayedChargeTime;
    private DateTimeOffset? delayedStartAt;
    private string announcedChargeStatus;
    private double? batteryHealth;

    public PsaVehicle(string id, SimulatedCar car, PsaVehicleTraits traits, TimeProvider time, TimeZoneInfo carTimeZone)
    {
        Id = id;
        Car = car;
        Traits = traits;
        this.time = time;
        this.carTimeZone = carTimeZone;
        delayedChargeTime = traits.DelayedChargeTime;
        batteryHealth = traits.BatteryHealthPercent;
        car.ChargeSchedule = StartDelayedCharge;
        announcedChargeStatus = PsaDocuments.ChargeStatus(car.Read());
    }

    public string Id { get; }
    public string Vin => Car.Vin;
    public SimulatedCar Car { get; }
    public PsaVehicleTraits Traits { get; }

    /// <summary>The state of health the cloud reports; batteries age, so a test may lower it.</summary>
    public double? BatteryHealthPercent
    {
        get { lock (gate) return batteryHealth; }
        set { lock (gate) batteryHealth = value; }
    }

    public bool IsAsleep
    {
        get { lock (gate) return asleep; }
    }

    public bool IsPrivate
    {
        get { lock (gate) return privacy; }
    }

    public bool IsUnresponsive
    {
        get { lock (gate) return unresponsive; }
    }

    /// <summary>While the car sleeps the cloud keeps serving what it last reported, however much time passes.</summary>
    public PsaVehicleView View()
    {
        var live = Car.Read();
        lock (gate)
        {
            var reported = asleep && lastReported is { } frozen ? frozen : live;
            return new PsaVehicleView(this, reported, privacy, delayedChargeTime, delayedStartAt is not null);
        }
    }

    /// <summary>
    /// The car's view if its charge status changed since the last event it pushed (and it is online to push one),
    /// else null. Marks the change as pushed.
    /// </summary>
    public PsaVehicleView? TakeChargeStatusChange()
    {
        var view = View();
        var status = PsaDocuments.ChargeStatus(view.Car);
        lock (gate)
        {
            if (asleep || unresponsive || status == announcedChargeStatus)
            {
                return null;
            }

            announcedChargeStatus = status;
            return view;
        }
    }

    /// <summary>Remembers what the car just pushed, so the same change is not announced twice.</summary>
    public void MarkAnnounced(PsaVehicleView view)
    {
        lock (gate)
        {
            announcedChargeStatus = PsaDocuments.ChargeStatus(view.Car);
        }
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> obeyed = new(StringComparer.Ordinal);

    /// <summary>Notes a remote command the car carried out (not one refused for its token, privacy or sleep).</summary>
    public void Obeyed(string service) => obeyed.AddOrUpdate(service, 1, (_, count) => count + 1);

    /// <summary>How many times the car carried out <paramref name="service"/>.</summary>
    public int TimesObeyed(string service) => obeyed.GetValueOrDefault(service);

    public void SetAsleep(bool value)
    {
        var snapshot = Car.Read();
        lock (gate)
        {
            if (value && !asleep)
            {
                lastReported = snapshot;
            }

            asleep = value;
        }
    }

    public void SetPrivacy(bool value)
    {
        lock (gate)
        {
            privacy = value;
        }
    }

    public void SetUnresponsive(bool value)
    {
        lock (gate)
        {
            unresponsive = value;
        }
    }

    public void ChargeNow()
    {
        lock (gate)
        {
            delayedStartAt = null;
        }

        Car.StartCharging();
    }

    /// <summary>PSA's only way to stop a charge: switch to delayed charging, which stops now and starts at H:M.</summary>
    public void ChargeLater(TimeOnly startAt)
    {
        Car.StopCharging();
        lock (gate)
        {
            delayedChargeTime = startAt;
            delayedStartAt = NextOccurrence(startAt, time.GetUtcNow());
        }
    }

    private bool StartDelayedCharge(DateTimeOffset instant, bool charging)
    {
        lock (gate)
        {
            if (delayedStartAt is not { } startAt || instant < startAt)
            {
                return charging;
            }

            // The car keeps its delayed programme: tomorrow it waits for the same hour again.
            delayedStartAt = NextOccurrence(delayedChargeTime, instant);
            return true;
        }
    }

    private DateTimeOffset NextOccurrence(TimeOnly at, DateTimeOffset after)
    {
        var local = TimeZoneInfo.ConvertTime(after, carTimeZone);
        var candidate = DateTime.SpecifyKind(local.Date + at.ToTimeSpan(), DateTimeKind.Unspecified);
        if (candidate <= local.DateTime)
        {
            candidate = candidate.AddDays(1);
        }

        while (carTimeZone.IsInvalidTime(candidate))
        {
            candidate = candidate.AddMinutes(30);
        }

        return new DateTimeOffset(candidate, carTimeZone.GetUtcOffset(candidate));
    }
}
