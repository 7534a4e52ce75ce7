namespace EvGateway.Simulator.Cars;

/// <summary>
/// A car whose battery really charges over (simulated) time. Both clouds' fakes read and command it; state advances
/// lazily on every access from the last instant it was looked at, so a FakeTimeProvider drives it deterministically.
/// Thread-safe: every member takes the car's lock.
/// </summary>
public sealed class SimulatedCar
{
    private readonly object gate = new();
    private readonly TimeProvider time;
    private DateTimeOffset lastAdvanced;
    private double level;
    private bool charging;
    private bool chargeEnded;
    private bool plugged;
    private bool climateActive;
    private bool locked = true;
    private double odometerKm;
    private double? chargeLimitPercent;
    private DateTimeOffset carTimestamp;
    private readonly List<CarCharge> charges = [];
    private (DateTimeOffset Start, double Level)? openCharge;

    public SimulatedCar(string vin, TimeProvider time, CarSpec spec, double level, bool plugged, bool charging, double odometerKm,
        double latitude, double longitude)
    {
        Vin = vin;
        this.time = time;
        Spec = spec;
        this.level = level;
        this.plugged = plugged;
        this.charging = plugged && charging;
        this.odometerKm = odometerKm;
        Latitude = latitude;
        Longitude = longitude;
        lastAdvanced = carTimestamp = time.GetUtcNow();
        NoteCharge(lastAdvanced);
    }

    public string Vin { get; }
    public CarSpec Spec { get; }
    public double Latitude { get; }
    public double Longitude { get; }
    public double Altitude { get; init; } = 35;

    /// <summary>Hook that lets a cloud fake start or stop charging at simulated instants (schedules, delayed starts).
    /// Called under the car's lock with the instant being simulated; returns true to charge from then on.</summary>
    public Func<DateTimeOffset, bool, bool>? ChargeSchedule { get; set; }

    public CarSnapshot Read()
    {
        lock (gate)
        {
            Advance();
            var power = charging ? Spec.ChargePowerKw : 0;
            var target = Math.Min(100, chargeLimitPercent ?? 100);
            int? remaining = charging ? (int)Math.Ceiling((target - level) / 100 * Spec.CapacityKwh / Spec.ChargePowerKw * 60) : null;
            return new CarSnapshot(Vin, Math.Round(level, 1), Math.Round(level / 100 * Spec.CapacityKwh / Spec.ConsumptionKwhPer100Km * 100),
                plugged, charging, chargeEnded, power, remaining, Math.Round(odometerKm, 1), Latitude, Longitude, Altitude,
                climateActive, locked, carTimestamp, chargeLimitPercent);
        }
    }

    /// <summary>The charges the car finished (it stopped charging, whatever the reason), oldest first, as its cloud logs them.</summary>
    public IReadOnlyList<CarCharge> Charges()
    {
        lock (gate)
        {
            Advance();
            return [.. charges];
        }
    }

    public void StartCharging() => Mutate(() =>
    {
        if (plugged && level < Math.Min(100, chargeLimitPercent ?? 100))
        {
            charging = true;
            chargeEnded = false;
        }
    });

    public void StopCharging() => Mutate(() => charging = false);

    public void Plug(bool isPlugged) => Mutate(() =>
    {
        plugged = isPlugged;
        if (!isPlugged)
        {
            charging = false;
            chargeEnded = false;
        }
    });

    public void SetClimate(bool active) => Mutate(() => climateActive = active);

    public void SetLocked(bool isLocked) => Mutate(() => locked = isLocked);

    public void SetChargeLimit(double? percent) => Mutate(() => chargeLimitPercent = percent);

    public void SetLevel(double percent) => Mutate(() => level = Math.Clamp(percent, 0, 100));

    /// <summary>The car wakes up and pushes fresh data to its cloud: nothing changes but its timestamp becomes now.</summary>
    public void ReportNow() => Mutate(() => { });

    /// <summary>Drives the car: uses energy as if it had travelled the distance.</summary>
    public void Drive(double km) => Mutate(() =>
    {
        charging = false;
        // A charge cut short by driving off ends before the drive uses any energy.
        NoteCharge(time.GetUtcNow());
        plugged = false;
        odometerKm += km;
        level = Math.Max(0, level - km * Spec.ConsumptionKwhPer100Km / 100 / Spec.CapacityKwh * 100);
    });

    private void Mutate(Action change)
    {
        lock (gate)
        {
            Advance();
            change();
            carTimestamp = time.GetUtcNow();
            NoteCharge(carTimestamp);
        }
    }

    // Integrates charging in steps of at most one minute so schedules that start or stop mid-way are honoured.
    private void Advance()
    {
        var now = time.GetUtcNow();
        while (lastAdvanced < now)
        {
            var step = now - lastAdvanced > TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : now - lastAdvanced;
            if (plugged && ChargeSchedule is { } schedule)
            {
                var wanted = schedule(lastAdvanced, charging);
                if (wanted != charging)
                {
                    charging = wanted && level < Math.Min(100, chargeLimitPercent ?? 100);
                    carTimestamp = lastAdvanced;
                    NoteCharge(lastAdvanced);
                }
            }

            if (charging && plugged)
            {
                var target = Math.Min(100, chargeLimitPercent ?? 100);
                level = Math.Min(target, level + Spec.ChargePowerKw * step.TotalHours / Spec.CapacityKwh * 100);
                carTimestamp = lastAdvanced + step;
                if (level >= target)
                {
                    charging = false;
                    chargeEnded = true;
                    NoteCharge(lastAdvanced + step);
                }
            }

            lastAdvanced += step;
        }
    }

    // Called under the lock after anything that may start or stop charging, with the simulated instant it happened.
    private void NoteCharge(DateTimeOffset at)
    {
        if (charging && openCharge is null)
        {
            openCharge = (at, level);
        }
        else if (!charging && openCharge is { } open)
        {
            charges.Add(new CarCharge(open.Start, at, open.Level, level, (level - open.Level) / 100 * Spec.CapacityKwh, Spec.ChargePowerKw));
            openCharge = null;
        }
    }
}

/// <summary>One finished charge of a simulated car: when, the levels (percent), the energy that reached the battery and the power.</summary>
public sealed record CarCharge(DateTimeOffset Start, DateTimeOffset End, double StartLevel, double EndLevel, double EnergyKwh, double PowerKw);

/// <summary>What does not change about a car model.</summary>
public sealed record CarSpec(string Model, double CapacityKwh, double ChargePowerKw, double ConsumptionKwhPer100Km);

/// <summary>A consistent view of a car at one instant.</summary>
public sealed record CarSnapshot(
    string Vin,
    double Level,
    double RangeKm,
    bool Plugged,
    bool Charging,
    bool ChargeEnded,
    double ChargePowerKw,
    int? RemainingMinutes,
    double OdometerKm,
    double Latitude,
    double Longitude,
    double Altitude,
    bool ClimateActive,
    bool Locked,
    DateTimeOffset Timestamp,
    double? ChargeLimitPercent);
