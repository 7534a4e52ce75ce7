using System.Globalization;
using System.Text.Json.Nodes;
using EvGateway.Simulator.Cars;

namespace EvGateway.Simulator.Renault;

/// <summary>
/// A car as the Renault cloud knows it: the simulated car plus what the cloud stores for it (charge mode, schedules,
/// charge limits, KCM settings). The charge plan drives the car through <see cref="SimulatedCar.ChargeSchedule"/> so
/// a stored schedule really starts and stops charging as simulated time passes.
/// </summary>
public sealed class RenaultVehicle
{
    private readonly object gate = new();
    private readonly TimeProvider time;
    private volatile ChargePlan plan;
    private IReadOnlyList<ChargeSchedule> schedules = [];
    private bool scheduled;
    private int socMin = 20;
    private int socTarget = 100;
    private DateTimeOffset energySettingsUpdated;
    private JsonObject evSettings;

    internal RenaultVehicle(string accountId, string brand, string modelLabel, RenaultModel model, SimulatedCar car, TimeProvider time)
    {
        AccountId = accountId;
        Brand = brand;
        ModelLabel = modelLabel;
        Model = model;
        Car = car;
        this.time = time;
        energySettingsUpdated = time.GetUtcNow();
        plan = new ChargePlan(scheduled: false, [], delayedStart: null, energySettingsUpdated);
        evSettings = DefaultEvSettings(energySettingsUpdated);
        car.ChargeSchedule = (instant, charging) => plan.Decide(instant, charging);
    }

    public string Vin => Car.Vin;
    public string AccountId { get; }
    public string Brand { get; }
    public string ModelCode => Model.Code;
    public string ModelLabel { get; }
    public SimulatedCar Car { get; }
    internal RenaultModel Model { get; }

    /// <summary>True in schedule_mode: the car charges only inside its activated schedule.</summary>
    public bool ScheduleMode
    {
        get
        {
            lock (gate)
            {
                return scheduled;
            }
        }
    }

    /// <summary>True when the car is plugged and waits for a planned or delayed charge.</summary>
    internal bool WaitsForPlannedCharge => plan.IsWaiting(time.GetUtcNow());

    internal IReadOnlyList<ChargeSchedule> Schedules
    {
        get
        {
            lock (gate)
            {
                return schedules;
            }
        }
    }

    internal (int Min, int Target, DateTimeOffset Updated) SocLevels
    {
        get
        {
            lock (gate)
            {
                return (socMin, socTarget, energySettingsUpdated);
            }
        }
    }

    internal JsonObject EvSettings
    {
        get
        {
            lock (gate)
            {
                return (JsonObject)evSettings.DeepClone();
            }
        }
    }

    internal void SetChargeMode(bool scheduleMode)
    {
        bool leftScheduleMode;
        lock (gate)
        {
            leftScheduleMode = scheduled && !scheduleMode;
            scheduled = scheduleMode;
        }

        ReplanAndApply();

        // A plugged car that waited for its window charges at once when told to always charge.
        if (leftScheduleMode)
        {
            Car.StartCharging();
        }
    }

    internal void SetSchedules(IReadOnlyList<ChargeSchedule> newSchedules)
    {
        lock (gate)
        {
            schedules = newSchedules;
        }

        ReplanAndApply();
    }

    /// <summary>A KCM start with a startDateTime: the car waits and starts by itself at that instant.</summary>
    internal void StartChargingAt(DateTimeOffset start)
    {
        lock (gate)
        {
            plan = new ChargePlan(scheduled, schedules, start, time.GetUtcNow());
        }
    }

    internal void SetSocLevels(int min, int target)
    {
        lock (gate)
        {
            socMin = min;
            socTarget = target;
            energySettingsUpdated = time.GetUtcNow();
        }

        Car.SetChargeLimit(target);
    }

    /// <summary>Stores KCM ev/settings; chargeModeRq ALWAYS starts a plugged car now, SCHEDULED waits.</summary>
    internal JsonObject SetEvSettings(JsonObject settings)
    {
        var now = time.GetUtcNow();
        var always = settings["chargeModeRq"]?.GetValue<string>() is "ALWAYS";
        JsonObject stored;
        lock (gate)
        {
            foreach (var (name, value) in settings)
            {
                evSettings[name] = value?.DeepClone();
            }

            evSettings["lastSettingsUpdateTimestamp"] = now.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            stored = (JsonObject)evSettings.DeepClone();
        }

        if (always)
        {
            Car.StartCharging();
        }

        return stored;
    }

    // A new plan judges the schedule from now on: entering schedule mode outside a window stops the charge, inside starts it.
    private void ReplanAndApply()
    {
        var now = time.GetUtcNow();
        ChargePlan newPlan;
        lock (gate)
        {
            newPlan = new ChargePlan(scheduled, schedules, delayedStart: null, now);
            plan = newPlan;
        }

        if (!newPlan.Scheduled)
        {
            return;
        }

        if (newPlan.Covers(now))
        {
            Car.StartCharging();
        }
        else
        {
            Car.StopCharging();
        }
    }

    private static JsonObject DefaultEvSettings(DateTimeOffset now) => new()
    {
        ["lastSettingsUpdateTimestamp"] = now.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        ["delegatedActivated"] = false,
        ["chargeModeRq"] = "ALWAYS",
        ["chargeTimeStart"] = "00:00",
        ["chargeDuration"] = 0,
        ["preconditioningTemperature"] = 20.0,
        ["preconditioningHeatedStrgWheel"] = false,
        ["preconditioningHeatedRightSeat"] = false,
        ["preconditioningHeatedLeftSeat"] = false,
        ["programs"] = new JsonArray(),
    };

    /// <summary>
    /// Decides, minute by minute under the car's lock, whether the car should charge. Only edges change anything
    /// (a window opens or closes, a delayed start falls due) so a manual start or stop in between is respected.
    /// </summary>
    private sealed class ChargePlan
    {
        private readonly IReadOnlyList<ChargeSchedule> activeSchedules;
        private DateTimeOffset? delayedStart;
        private bool wasCovered;

        public ChargePlan(bool scheduled, IReadOnlyList<ChargeSchedule> schedules, DateTimeOffset? delayedStart, DateTimeOffset now)
        {
            Scheduled = scheduled;
            activeSchedules = [.. schedules.Where(s => s.Activated)];
            this.delayedStart = delayedStart;
            wasCovered = Covers(now);
        }

        public bool Scheduled { get; }

        public bool Covers(DateTimeOffset instant) => Scheduled && activeSchedules.Any(s => s.Covers(instant));

        public bool IsWaiting(DateTimeOffset now) => delayedStart > now || (Scheduled && activeSchedules.Count > 0);

        public bool Decide(DateTimeOffset instant, bool charging)
        {
            if (delayedStart is { } start && instant >= start)
            {
                delayedStart = null;
                return true;
            }

            var covered = Covers(instant);
            var edge = covered != wasCovered;
            wasCovered = covered;
            return edge ? covered : charging;
        }
    }
}
