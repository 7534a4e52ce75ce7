using EvGateway.Vehicles.Budget;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace EvGateway.Vehicles;

/// <summary>The brand-neutral REST surface: /api/vehicles/...</summary>
public static class VehiclesApi
{
    private const int MaxAgeLimitSeconds = 86_400;

    public static IEndpointRouteBuilder MapVehicles(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/vehicles").WithTags("Vehicles");
        api.MapGet("/", ListVehicles).WithName(nameof(ListVehicles)).WithSummary("Every car on the configured accounts");

        // Each handler refuses a malformed VIN itself, as the other features do: a group filter would wrap every call of
        // these routes (the status one is polled many times a minute) in an invocation context of all its arguments.
        var car = api.MapGroup("/{vin}").WithGatewayProblems();
        car.MapGet("/", GetVehicle).WithName(nameof(GetVehicle)).WithSummary("One car and what it can do");
        car.MapGet("/status", GetStatus).WithName(nameof(GetStatus)).Produces<VehicleStatus>().ProducesValidationProblem()
            .WithSummary("Battery, range, plug and charge state, odometer, location and climate of one car")
            .WithDescription("Served from the gateway's cache when it is younger than maxAge seconds (default Gateway:StatusMaxAgeSeconds); " +
                             "maxAge=0 forces a cloud read, at most once per refresh interval for scripts (README, Call budget). Concurrent reads " +
                             "of one car share one cloud call. When the cloud is rate limited or down, or the call budget is kept for " +
                             "higher priorities, the last known status is served with stale=true.");
        car.MapPost("/commands/{command}", SendCommand).WithName(nameof(SendCommand))
            .WithSummary("Send a remote command: wake-up, charge-start, charge-stop, climate-start, climate-stop, lock, unlock, horn, lights")
            .WithDescription("Answers 202 once the maker's cloud (or, for PSA, the car itself) accepted the command. " +
                             "count = horn blasts or light seconds; temperature = cabin target for climate-start.");
        return app;
    }

    /// <summary>Lists every car the gateway serves.</summary>
    public static async Task<Ok<VehicleDto[]>> ListVehicles(VehicleDirectory directory, VehicleStatusCache cache, RefreshPolicies policies,
        CancellationToken cancellationToken)
    {
        var vehicles = await directory.GetVehiclesAsync(cancellationToken);
        return TypedResults.Ok(vehicles.Select(vehicle => Describe(vehicle, cache, policies)).ToArray());
    }

    public static async Task<Results<Ok<VehicleDto>, ValidationProblem, ProblemHttpResult>> GetVehicle(string vin, VehicleDirectory directory,
        VehicleStatusCache cache, RefreshPolicies policies, CancellationToken cancellationToken)
    {
        if (!Vin.IsValid(vin))
        {
            return (ValidationProblem)MalformedVin;
        }

        var entry = await directory.FindAsync(vin, cancellationToken);
        return TypedResults.Ok(Describe(entry.Vehicle, cache, policies));
    }

    private static VehicleDto Describe(Vehicle vehicle, VehicleStatusCache cache, RefreshPolicies policies) =>
        VehicleDto.From(vehicle) with
        {
            RefreshPolicy = policies.PolicyOf(vehicle.Vin),
            NextRefreshAt = policies.NextRefreshAt(vehicle.Vin, cache.Peek(vehicle.Vin)),
        };

    public static async ValueTask<IResult> GetStatus(string vin, [FromQuery] int? maxAge, HttpRequest request, VehicleDirectory directory,
        ScriptedReads reads, StatusBodies bodies, IOptionsMonitor<GatewayOptions> options, [FromServices] IChargeControlSummaries? chargeControl,
        CancellationToken cancellationToken)
    {
        if (!Vin.IsValid(vin))
        {
            return MalformedVin;
        }

        if (maxAge is < 0 or > MaxAgeLimitSeconds)
        {
            return Validation.Problem("maxAge", $"maxAge is a number of seconds from 0 to {MaxAgeLimitSeconds}.");
        }

        var entry = await directory.FindAsync(vin, cancellationToken);
        if (!entry.Vehicle.IsElectric && !entry.Vehicle.Has(VehicleCapability.Odometer))
        {
            throw GatewayException.CapabilityNotSupported(vin, "status reads");
        }

        var age = TimeSpan.FromSeconds(maxAge ?? options.CurrentValue.StatusMaxAgeSeconds);
        var status = await reads.ReadAsync(entry, age, request, cancellationToken);
        return bodies.Render(status, chargeControl?.For(entry.Vehicle.Vin));
    }

    public static async Task<Results<Accepted<CommandResultDto>, ValidationProblem, ProblemHttpResult>> SendCommand(string vin,
        string command, [FromQuery] int? count, [FromQuery] double? temperature, VehicleCommands commands, CancellationToken cancellationToken)
    {
        if (!Vin.IsValid(vin))
        {
            return (ValidationProblem)MalformedVin;
        }

        if (!CommandNames.TryGetValue(command, out var kind))
        {
            return (ValidationProblem)Validation.Problem("command", $"Unknown command '{Truncate(command)}'; use one of {string.Join(", ", CommandNames.Keys)}.");
        }

        if (count is < 1 or > 60)
        {
            return (ValidationProblem)Validation.Problem("count", "count is from 1 to 60 (horn blasts, or seconds of lights).");
        }

        if (temperature is not null && (double.IsNaN(temperature.Value) || temperature is < 16 or > 30))
        {
            return (ValidationProblem)Validation.Problem("temperature", "temperature is a cabin target from 16 to 30 °C.");
        }

        var outcome = await commands.SendAsync(vin, new VehicleCommand(kind) { Count = count, TargetTemperatureC = temperature }, cancellationToken);
        return TypedResults.Accepted((string?)null, new CommandResultDto(vin, command, outcome.Accepted, outcome.Detail, outcome.CorrelationId));
    }

    private static readonly Dictionary<string, VehicleCommandKind> CommandNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["wake-up"] = VehicleCommandKind.WakeUp,
        ["charge-start"] = VehicleCommandKind.ChargeStart,
        ["charge-stop"] = VehicleCommandKind.ChargeStop,
        ["climate-start"] = VehicleCommandKind.ClimateStart,
        ["climate-stop"] = VehicleCommandKind.ClimateStop,
        ["lock"] = VehicleCommandKind.Lock,
        ["unlock"] = VehicleCommandKind.Unlock,
        ["horn"] = VehicleCommandKind.Horn,
        ["lights"] = VehicleCommandKind.Lights,
    };

    private static IResult MalformedVin => Validation.Problem("vin", Vin.Rule);

    private static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
