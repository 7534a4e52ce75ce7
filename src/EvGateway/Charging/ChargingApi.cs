using System.Globalization;
using EvGateway.Charging.Control;
using EvGateway.Charging.Schedules;
using EvGateway.Charging.Smart;
using EvGateway.Vehicles;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace EvGateway.Charging;

/// <summary>The charging routes: charge control (REST and the legacy psa_car_controller route) and smart charging.</summary>
public static class ChargingApi
{
    public static IEndpointRouteBuilder MapCharging(this IEndpointRouteBuilder endpoints)
    {
        var car = endpoints.MapGroup("/api/vehicles/{vin}").WithTags("Charging").WithGatewayProblems();

        car.MapGet("/charge-control", GetChargeControl)
            .WithName(nameof(GetChargeControl))
            .WithSummary("The car's charge limit and daily stop time, with the next stop and the last failure.");
        car.MapPut("/charge-control", SetChargeControl)
            .Validate<ChargeControlRequest>()
            .WithName(nameof(SetChargeControl))
            .WithSummary("Stop charging at a battery level and/or every day at a local time (501 when the car cannot stop a charge).");

        car.MapGet("/smart-charge/plan", GetSmartChargePlan)
            .Validate<SmartChargePlanQuery>()
            .WithName(nameof(GetSmartChargePlan))
            .WithSummary("The cheapest charging that reaches targetPercent by readyBy, from the day-ahead prices, without applying it.");
        car.MapPost("/smart-charge", ApplySmartCharge)
            .Validate<SmartChargeRequest>()
            .WithName(nameof(ApplySmartCharge))
            .WithSummary("Plans the cheapest charging to reach targetPercent by readyBy and sets it on the car.");

        car.MapGet("/charge-schedule", GetChargeSchedule)
            .WithName(nameof(GetChargeSchedule))
            .WithSummary("The car's charge mode and its weekly schedules or daily charge time (see form), in the gateway's local time.");
        car.MapPut("/charge-schedule", SetChargeSchedule)
            .Validate<ChargeScheduleRequest>()
            .WithName(nameof(SetChargeSchedule))
            .WithSummary("Replaces the car's schedules or daily charge time and its charge mode; what the car would refuse is a 400 naming the rule.");

        endpoints.MapGet("/charge_control", LegacyChargeControl)
            .WithName(nameof(LegacyChargeControl))
            .WithSummary("psa_car_controller's /charge_control: read, or set percentage and/or hour+minute.")
            .WithTags("Legacy");

        return endpoints;
    }

    public static async Task<Ok<ChargeControlView>> GetChargeControl(string vin, ChargeControlService service, CancellationToken cancellationToken) =>
        TypedResults.Ok(await service.GetAsync(vin, cancellationToken));

    public static async Task<Ok<ChargeControlView>> SetChargeControl(string vin, ChargeControlRequest request, ChargeControlService service,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(await service.SetAsync(vin, _ => request.ToSetting(), cancellationToken));

    public static async Task<Ok<SmartChargePlanView>> GetSmartChargePlan(string vin, [AsParameters] SmartChargePlanQuery query,
        SmartChargeService service, IOptions<ChargingOptions> options, CancellationToken cancellationToken) =>
        TypedResults.Ok(await service.PlanAsync(
            vin,
            SmartChargeInput.ParsePercent(query.TargetPercent)!.Value,
            SmartChargeInput.ParseReadyBy(query.ReadyBy, options.Value.ResolveTimeZone())!.Value,
            SmartChargeInput.ParsePrice(query.MaxPrice),
            SmartChargeInput.ParseStrategy(query.Strategy),
            cancellationToken));

    public static async Task<Ok<SmartChargeApplied>> ApplySmartCharge(string vin, SmartChargeRequest request, SmartChargeService service,
        IOptions<ChargingOptions> options, CancellationToken cancellationToken) =>
        TypedResults.Ok(await service.ApplyAsync(
            vin,
            request.TargetPercent!.Value,
            SmartChargeInput.ParseReadyBy(request.ReadyBy, options.Value.ResolveTimeZone())!.Value,
            request.MaxPrice,
            cancellationToken));

    public static async Task<Ok<ChargeScheduleView>> GetChargeSchedule(string vin, ChargeScheduleService service, CancellationToken cancellationToken) =>
        TypedResults.Ok(await service.GetAsync(vin, cancellationToken));

    public static async Task<Results<Ok<ChargeScheduleView>, ValidationProblem>> SetChargeSchedule(string vin, ChargeScheduleRequest request,
        ChargeScheduleService service, CancellationToken cancellationToken)
    {
        var change = await service.SetAsync(vin, request, cancellationToken);
        if (change.Violation is { } violation)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { [violation.Field] = [$"{violation.Rule}: {violation.Message}"] },
                detail: $"The car would refuse this schedule ({violation.Rule}): {violation.Message}",
                extensions: new Dictionary<string, object?> { ["code"] = ErrorCodes.ValidationFailed, ["rule"] = violation.Rule });
        }

        return TypedResults.Ok(change.Saved!);
    }

    /// <summary>
    /// Keeps the old bridge's parameters and answer; unlike it, errors come with a real status code
    /// (400 bad input, 404 unknown VIN, the cloud's status otherwise) while keeping the `error` field.
    /// </summary>
    public static async Task<IResult> LegacyChargeControl(HttpResponse response, ChargeControlService service, string? vin,
        string? percentage, string? hour, string? minute, CancellationToken cancellationToken)
    {
        response.Headers.AccessControlAllowOrigin = "*";
        if (string.IsNullOrWhiteSpace(vin))
        {
            return LegacyError(400, "vin is required");
        }

        var change = LegacyChange(percentage, hour, minute, out var problem);
        if (problem is not null)
        {
            return LegacyError(400, problem);
        }

        try
        {
            var view = change is null ? await service.GetAsync(vin, cancellationToken) : await service.SetAsync(vin, change, cancellationToken);
            return TypedResults.Json(LegacyAnswer(view));
        }
        catch (GatewayException failure)
        {
            GatewayProblems.AddRetryAfter(response, failure.RetryAfter);
            return LegacyError(failure.StatusCode, failure.Message);
        }
    }

    private static Func<ChargeControlSetting, ChargeControlSetting>? LegacyChange(string? percentage, string? hour, string? minute, out string? problem)
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

    private static Dictionary<string, object?> LegacyAnswer(ChargeControlView view) => new()
    {
        ["vin"] = view.Vin,
        ["percentage_threshold"] = view.PercentageThreshold,
        ["stop_hour"] = ChargeControlRequest.ParseStopAt(view.StopAt) is { } at ? new[] { at.Hour, at.Minute } : null,
        // The old bridge wrote the next stop as a naive local ISO time.
        ["_next_stop_hour"] = view.NextStopAt?.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
        ["last_error"] = view.LastError,
    };

    private static IResult LegacyError(int status, string message) =>
        TypedResults.Json(new Dictionary<string, string> { ["error"] = message }, statusCode: status);
}
