using System.Globalization;
using System.Text.Json.Nodes;
using EvGateway.Simulator.Cars;
using Microsoft.AspNetCore.Http;

namespace EvGateway.Simulator.Renault;

/// <summary>
/// kca <c>charges?start=&amp;end=</c> and <c>charge-history?type=day|month&amp;start=&amp;end=</c>, answered from the
/// charges the simulated car really made, in the recorded shapes (reference/renault/kamereon/vehicle_data). Dates are
/// UTC days (<c>yyyyMMdd</c>, months <c>yyyyMM</c>), both ends included; a missing or malformed date, or an end before
/// the start, is refused with the cloud's 400 envelope.
/// </summary>
internal static class KamereonChargeLog
{
    public static IResult Charges(KamereonCall call)
    {
        if (Range(call, "yyyyMMdd", out var failure) is not { } range)
        {
            return failure!;
        }

        var charges = new JsonArray();
        foreach (var charge in ChargesIn(call.Vehicle, range))
        {
            charges.Add(new JsonObject
            {
                ["chargeStartDate"] = KamereonCarOperations.Iso(charge.Start),
                ["chargeEndDate"] = KamereonCarOperations.Iso(charge.End),
                ["chargeDuration"] = (int)Math.Round((charge.End - charge.Start).TotalMinutes),
                ["chargeStartBatteryLevel"] = (int)Math.Round(charge.StartLevel),
                ["chargeEndBatteryLevel"] = (int)Math.Round(charge.EndLevel),
                ["chargeBatteryLevelRecovered"] = (int)Math.Round(charge.EndLevel) - (int)Math.Round(charge.StartLevel),
                ["chargePower"] = charge.PowerKw > 22 ? "fast" : "slow",
                ["chargeStartInstantaneousPower"] = call.Vehicle.Model.ReportsPowerInWatts ? charge.PowerKw * 1000 : charge.PowerKw,
                ["chargeEndStatus"] = "ok",
            });
        }

        return KamereonCarOperations.Data(call, new JsonObject { ["charges"] = charges });
    }

    public static IResult ChargeHistory(KamereonCall call)
    {
        var type = call.Query?["type"].ToString();
        if (type is not ("day" or "month"))
        {
            return KamereonErrors.BadRequest("Pattern", "must be day or month", "type");
        }

        var (format, key) = type == "day" ? ("yyyyMMdd", "day") : ("yyyyMM", "month");
        if (Range(call, format, out var failure) is not { } range)
        {
            return failure!;
        }

        var summaries = new JsonArray();
        foreach (var period in ChargesIn(call.Vehicle, range)
                     .GroupBy(c => c.Start.UtcDateTime.ToString(format, CultureInfo.InvariantCulture))
                     .OrderByDescending(g => g.Key, StringComparer.Ordinal))
        {
            summaries.Add(new JsonObject
            {
                [key] = period.Key,
                ["totalChargesNumber"] = period.Count(),
                ["totalChargesDuration"] = (int)Math.Round(period.Sum(c => (c.End - c.Start).TotalMinutes)),
                ["totalChargesErrors"] = 0,
            });
        }

        return KamereonCarOperations.Data(call, new JsonObject { ["chargeSummaries"] = summaries });
    }

    private static IEnumerable<CarCharge> ChargesIn(RenaultVehicle vehicle, (DateTimeOffset From, DateTimeOffset To) range) =>
        vehicle.Car.Charges().Where(c => c.Start >= range.From && c.Start < range.To);

    // A month range runs from the first day of the start month to the end of the end month.
    private static (DateTimeOffset From, DateTimeOffset To)? Range(KamereonCall call, string format, out IResult? failure)
    {
        failure = null;
        if (Date(call, "start", format, out failure) is not { } start || Date(call, "end", format, out failure) is not { } end)
        {
            return null;
        }

        if (end < start)
        {
            failure = KamereonErrors.BadRequest("Invalid", "end must not be before start", "end");
            return null;
        }

        var after = format == "yyyyMM" ? end.AddMonths(1) : end.AddDays(1);
        return (new DateTimeOffset(start, TimeSpan.Zero), new DateTimeOffset(after, TimeSpan.Zero));
    }

    private static DateTime? Date(KamereonCall call, string name, string format, out IResult? failure)
    {
        failure = null;
        if (DateTime.TryParseExact(call.Query?[name].ToString(), format, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var date))
        {
            return date;
        }

        failure = KamereonErrors.BadRequest("Pattern", $"must be a date in the {format} format", name);
        return null;
    }
}
