using System.Globalization;
using EvGateway.Charging.Control;

namespace EvGateway.Legacy;

/// <summary>psa_car_controller's <c>/charge_control</c>: read a car's charge control, or set its percentage and/or stop hour.</summary>
public static class LegacyChargeControl
{
    /// <summary>
    /// Keeps the old bridge's parameters and answer; unlike it, errors come with a real status code
    /// (400 bad input, 404 unknown VIN, the cloud's status otherwise) while keeping the `error` field.
    /// </summary>
    public static async Task<IResult> ChargeControl(ChargeControlService service, string? vin, string? percentage, string? hour,
        string? minute, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(vin))
        {
            return LegacyJson.Error(400, "vin is required");
        }

        var change = Change(percentage, hour, minute, out var problem);
        if (problem is not null)
        {
            return LegacyJson.Error(400, problem);
        }

        var view = change is null ? await service.GetAsync(vin, cancellationToken) : await service.SetAsync(vin, change, cancellationToken);
        return TypedResults.Json(Answer(view));
    }

    /// <summary>Only a call that sets something changes the car's charging; a bare read is polled like any status.</summary>
    public static bool Sets(HttpRequest request) => request.Query.ContainsKey("percentage") || request.Query.ContainsKey("hour");

    private static Func<ChargeControlSetting, ChargeControlSetting>? Change(string? percentage, string? hour, string? minute, out string? problem)
    {
        problem = null;
        int? threshold = null;
        if (percentage is not null)
        {
            if (!int.TryParse(percentage, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value is <= 0 or > 100)
            {
                problem = "percentage must be a whole number greater than 0 and at most 100";
                return null;
            }

            threshold = value;
        }

        // The old bridge's way to clear the stop hour is hour=-1.
        var clearStop = hour == "-1";
        TimeOnly? stopAt = null;
        if (hour is not null && !clearStop)
        {
            if (!int.TryParse(hour, NumberStyles.Integer, CultureInfo.InvariantCulture, out var h) || h is < 0 or > 23)
            {
                problem = "hour must be a whole number from 0 to 23 (or -1 to remove the stop hour)";
                return null;
            }

            var m = 0;
            if (minute is not null && (!int.TryParse(minute, NumberStyles.Integer, CultureInfo.InvariantCulture, out m) || m is < 0 or > 59))
            {
                problem = "minute must be a whole number from 0 to 59";
                return null;
            }

            stopAt = new TimeOnly(h, m);
        }
        else if (minute is not null && hour is null)
        {
            problem = "minute needs hour";
            return null;
        }

        if (threshold is null && hour is null)
        {
            return null;
        }

        return current => current with
        {
            PercentageThreshold = threshold ?? current.PercentageThreshold,
            StopAt = clearStop ? null : stopAt ?? current.StopAt,
        };
    }

    private static Dictionary<string, object?> Answer(ChargeControlView view) => new()
    {
        ["vin"] = view.Vin,
        ["percentage_threshold"] = view.PercentageThreshold,
        ["stop_hour"] = ChargeControlRequest.ParseStopAt(view.StopAt) is { } at ? new[] { at.Hour, at.Minute } : null,
        // The old bridge wrote the next stop as a naive local ISO time.
        ["_next_stop_hour"] = view.NextStopAt?.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
        ["last_error"] = view.LastError,
    };
}
