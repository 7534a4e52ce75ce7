using System.Globalization;
using System.Text.Json.Nodes;
using EvGateway.Simulator.Cars;

namespace EvGateway.Simulator.Renault;

/// <summary>
/// A car as the Renault cloud knows it: the simulated car plus what the cloud stores for it (charge mode, schedules,
/// charge limits, KCM settings). The charge plan drives the car through <see cref="SimulatedCar.ChargeSchedule"/> so
/// a stored schedule really starts and stops charging as simulated time passes. Cars with KCM ev/settings (Renault 5
/// family, Master E-Tech) keep one daily window there instead of car-adapter schedules, and their ev/settings
/// chargeModeRq and car-adapter charge mode are one and the same setting.
/// </summary>
public sealed class RenaultVehicle
{
    private readonly object gate = new();
    private readonly TimeProvider time;
    private readonly TimeZoneInfo carZone;
    private volatile ChargePlan plan;
    private IReadOnlyList<ChargeSchedule> schedules = [];
    private bool scheduled;
    private int socMin = 20;
    private int socTarget = 100;
    private DateTimeOffset energySettingsUpdated;
    private JsonObject evSettings;
    private DailyChargeWindow? evWindow;

    internal RenaultVehicle(string accountId, string brand, string modelLabel, RenaultModel model, SimulatedCar car, TimeProvider time,
        TimeZoneInfo carZone)
    {
        AccountId = accountId;
        Brand = brand;
        ModelLabel = modelLabel;
        Model = model;
        Car = car;
        this.time = time;
        this.carZone = carZone;
        energySettingsUpdated = time.GetUtcNow();
        evSettings = DefaultEvSettings(energySettingsUpdated);
        evWindow = KeepsEvSettings ? DailyChargeWindow.From(evSettings, carZone) : null;
        plan = NewPlan(delayedStart: null, energySettingsUpdated);
        car.ChargeSchedule = (instant, charging) => plan.Decide(instant, charging);
    }

    public string Vin => Car.Vin;
    public string AccountId { get; }
    public string Brand { get; }
    public string ModelCode => Model.Code;
    public string ModelLabel { get; }
    public SimulatedCar Car { get; }
    internal RenaultModel Model { get; }

    private bool KeepsEvSettings => Model.Supports(KamereonCapability.KcmEvSettings);

    private readonly HashSet<string> lacking = [];

    /// <summary>
    /// This car lacks a read or command its model has (an option it was built without, a TCU that stopped reporting
    /// it): the cloud answers it as it answers a model without it. A Kamereon capability name such as <c>location</c>.
    /// </summary>
    public void Lacks(string capability)
    {
        lock (gate)
        {
            lacking.Add(capability);
        }
    }

    /// <summary>Undoes <see cref="Lacks"/>: the car answers that read or command again.</summary>
    public void Regains(string capability)
    {
        lock (gate)
        {
            lacking.Remove(capability);
        }
    }

    internal bool Supports(string capability)
    {
        lock (gate)
        {
            return Model.Supports(capability) && !lacking.Contains(capability);
        }
    }

    /// <summary>True in schedule_mode (ev/settings SCHEDULED): the car charges only inside its activated schedule or window.</summary>
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

    /// <summary>The charge limit the car stops at by itself (KCM ev/soc-levels socTarget; 100 = none).</summary>
    public int SocTarget => SocLevels.Target;

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
            if (KeepsEvSettings)
            {
                evSettings["chargeModeRq"] = scheduleMode ? "SCHEDULED" : "ALWAYS";
                evSettings["lastSettingsUpdateTimestamp"] = Timestamp(time.GetUtcNow());
            }
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
            plan = NewPlan(start, time.GetUtcNow());
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

    /// <summary>
    /// Stores validated KCM ev/settings: the fields sent replace the stored ones. chargeModeRq ALWAYS starts a plugged
    /// car now; a SCHEDULED mode or window sent starts or stops the car by whether the window covers now.
    /// </summary>
    internal JsonObject SetEvSettings(JsonObject settings)
    {
        var now = time.GetUtcNow();
        var always = settings["chargeModeRq"]?.GetValue<string>() is "ALWAYS";
        var chargePlanSent = settings.ContainsKey("chargeModeRq") || settings.ContainsKey("chargeTimeStart")
            || settings.ContainsKey("chargeDuration");
        JsonObject stored;
        lock (gate)
        {
            foreach (var (name, value) in settings)
            {
                evSettings[name] = value?.DeepClone();
            }

            evSettings["lastSettingsUpdateTimestamp"] = Timestamp(now);
            scheduled = evSettings["chargeModeRq"]?.GetValue<string>() is "SCHEDULED";
            evWindow = DailyChargeWindow.From(evSettings, carZone);
            stored = (JsonObject)evSettings.DeepClone();
        }

        if (chargePlanSent)
        {
            ReplanAndApply();
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
            newPlan = NewPlan(delayedStart: null, now);
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

    // Called under the gate: the plan snapshots the mode, the schedules and the ev/settings window.
    private ChargePlan NewPlan(DateTimeOffset? delayedStart, DateTimeOffset now) =>
        new(scheduled, schedules, evWindow, delayedStart, now);

    private static string Timestamp(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    // A new car charges whenever plugged; its window is the off-peak night the app proposes.
    private static JsonObject DefaultEvSettings(DateTimeOffset now) => new()
    {
        ["lastSettingsUpdateTimestamp"] = Timestamp(now),
        ["delegatedActivated"] = false,
        ["chargeModeRq"] = "ALWAYS",
        ["chargeTimeStart"] = "23:00",
        ["chargeDuration"] = 480,
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
        private readonly DailyChargeWindow? dailyWindow;
        private DateTimeOffset? delayedStart;
        private bool wasCovered;

        public ChargePlan(bool scheduled, IReadOnlyList<ChargeSchedule> schedules, DailyChargeWindow? dailyWindow,
            DateTimeOffset? delayedStart, DateTimeOffset now)
        {
            Scheduled = scheduled;
            activeSchedules = [.. schedules.Where(s => s.Activated)];
            this.dailyWindow = dailyWindow;
            this.delayedStart = delayedStart;
            wasCovered = Covers(now);
        }

        public bool Scheduled { get; }

        public bool Covers(DateTimeOffset instant) =>
            Scheduled && (activeSchedules.Any(s => s.Covers(instant)) || dailyWindow?.Covers(instant) == true);

        // A car-adapter schedule counts as waiting while it is active; an ev/settings window only while it is closed.
        public bool IsWaiting(DateTimeOffset now) =>
            delayedStart > now
            || (Scheduled && activeSchedules.Count > 0)
            || (Scheduled && dailyWindow is not null && !dailyWindow.Covers(now));

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
