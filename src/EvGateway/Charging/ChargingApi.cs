using EvGateway.Charging.Control;
using EvGateway.Charging.Schedules;
using EvGateway.Charging.Smart;
using EvGateway.Vehicles;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace EvGateway.Charging;

/// <summary>The charging routes: charge control, charge schedules and smart charging.</summary>
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
}
