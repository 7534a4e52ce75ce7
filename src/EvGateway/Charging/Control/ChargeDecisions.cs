using EvGateway.Vehicles;

namespace EvGateway.Charging.Control;

/// <summary>The pure rules of charge control, kept apart from the loop so they can be read and tested on their own.</summary>
public static class ChargeDecisions
{
    /// <summary>Charge power above which a charge counts as fast (AC three-phase tops out at 22 kW).</summary>
    public const double FastChargePowerKw = 22;

    public static bool IsCharging(VehicleStatus status) => status.ChargeState == ChargeState.Charging;

    public static bool ReachedThreshold(VehicleStatus status, ChargeControlSetting setting) =>
        setting.PercentageThreshold < 100 && status.BatteryLevel is { } level && level >= setting.PercentageThreshold;

    /// <summary>
    /// Whether a charging car has reached its threshold. The clouds report whole percents, rounded: a car reporting
    /// exactly the threshold may be up to half a percent short of it. Such a car has certainly reached it once it has
    /// charged for half a percent's worth of time since it first reported the threshold (<paramref name="atThresholdSince"/>);
    /// until then the answer says how long to wait (at <paramref name="assumedPowerKw"/> when the car reports no power).
    /// A fractional or higher report is taken as it is.
    /// </summary>
    public static ThresholdCheck CheckThreshold(VehicleStatus status, ChargeControlSetting setting, DateTimeOffset? atThresholdSince,
        double? capacityKwh, double assumedPowerKw, DateTimeOffset now)
    {
        if (!ReachedThreshold(status, setting))
        {
            return ThresholdCheck.Below;
        }

        var level = status.BatteryLevel!.Value;
        if (level > setting.PercentageThreshold || level != Math.Floor(level) || capacityKwh is not > 0 || atThresholdSince is not { } since)
        {
            return ThresholdCheck.Met;
        }

        var power = status.ChargePowerKw is > 0 and var reported ? reported : assumedPowerKw;
        var halfPercent = TimeSpan.FromHours(0.5 / (power / capacityKwh.Value * 100));
        var wait = since + halfPercent - now;
        return wait <= TimeSpan.Zero ? ThresholdCheck.Met : new ThresholdCheck(false, wait);
    }

    /// <summary>True when the car's own data is so old that a decision on it could miss the threshold.</summary>
    public static bool NeedsWakeUp(VehicleStatus status, ChargeWatchRules rules, DateTimeOffset now)
    {
        if (status.PlugState != PlugState.Plugged || status.UpdatedAt is not { } updatedAt)
        {
            return false;
        }

        var limit = status.ChargePowerKw is > FastChargePowerKw ? rules.WakeWhenDataOlderThanWhileFastCharging : rules.WakeWhenDataOlderThan;
        return now - updatedAt > limit;
    }

    /// <summary>
    /// How long until the next read: the normal interval when nothing is about to happen; while charging towards
    /// a threshold, a little less than the estimated time to reach it so the stop lands just after it; never
    /// below the maker's floor.
    /// </summary>
    public static TimeSpan NextPollDelay(VehicleStatus status, ChargeControlSetting setting, double? capacityKwh, TimeSpan normal, TimeSpan floor)
    {
        if (!IsCharging(status) || setting.PercentageThreshold >= 100 || status.BatteryLevel is not { } level)
        {
            return Max(normal, floor);
        }

        var remainingPercent = setting.PercentageThreshold - level;
        if (remainingPercent <= 0 || status.ChargePowerKw is not > 0 || capacityKwh is not > 0)
        {
            return floor;
        }

        var percentPerHour = status.ChargePowerKw.Value / capacityKwh.Value * 100;
        // 80 % of the estimate: the car may report its power late or charge faster than it says.
        var untilThreshold = TimeSpan.FromHours(remainingPercent / percentPerHour * 0.8);
        return Max(floor, untilThreshold < normal ? untilThreshold : normal);
    }

    /// <summary>
    /// A car parked above its threshold still starts a charge at its delayed-charge hour; when that hour is this
    /// close, charge control moves it away (psa_car_controller's rule).
    /// </summary>
    public static bool DelayedStartIsImminent(VehicleStatus status, ChargeControlSetting setting, TimeOnly localNow) =>
        !IsCharging(status)
        && status.PlugState == PlugState.Plugged
        && ReachedThreshold(status, setting)
        && status.NextDelayedChargeStart is { } start
        && Until(localNow, start) is var wait && wait > TimeSpan.Zero && wait <= TimeSpan.FromMinutes(30);

    private static TimeSpan Until(TimeOnly now, TimeOnly then) => then - now;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
