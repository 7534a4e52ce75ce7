using System.Globalization;
using EvGateway.Vehicles.Capabilities;
using FluentValidation;

namespace EvGateway.Charging.Schedules;

public static class ChargeScheduleForms
{
    public const string Weekly = "weekly";
    public const string DailyWindow = "daily_window";
    public const string DailyStart = "daily_start";

    public static string Of(DailyChargeForm form) => form == DailyChargeForm.Window ? DailyWindow : DailyStart;
}
