using EvGateway.Vehicles;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace EvGateway.HomeAutomation.Abrp;

/// <summary>A car's ABRP live data: whether it is on, whether a token and the API key are there, and the last send.</summary>
public sealed record AbrpView(string Vin, bool Enabled, bool TokenSet, bool ApiKeySet, DateTimeOffset? LastReadingAt,
    DateTimeOffset? LastSentAt, string? LastError);

/// <summary>Turns a car's ABRP live data on or off; <c>token</c> is the car's user token from ABRP's app (empty removes it).</summary>
public sealed record AbrpRequest(bool? Enabled, string? Token);

public sealed class AbrpRequestValidator : AbstractValidator<AbrpRequest>
{
    public AbrpRequestValidator()
    {
        RuleFor(r => r.Enabled).NotNull().WithMessage("Must be true or false.");
        RuleFor(r => r.Token)
            .Must(token => token is null || (token.Length <= 200 && !token.Any(char.IsWhiteSpace)))
            .WithMessage("Must be the user token ABRP shows for the car (no spaces, at most 200 characters), or empty to remove it.");
    }
}

/// <summary>The ABRP routes under each car.</summary>
public static class AbrpApi
{
    public static IEndpointRouteBuilder MapAbrp(this IEndpointRouteBuilder endpoints)
    {
        var car = endpoints.MapGroup("/api/vehicles/{vin}").WithTags("Live data").WithGatewayProblems();
        car.MapGet("/abrp", GetAbrp)
            .WithName(nameof(GetAbrp))
            .WithSummary("Whether the car sends live data to A Better Route Planner, and how the last send went (the token is never shown).");
        car.MapPut("/abrp", SetAbrp)
            .Validate<AbrpRequest>()
            .WithName(nameof(SetAbrp))
            .WithSummary("Turns the car's ABRP live data on or off, with the car's user token from ABRP's app.");
        return endpoints;
    }

    public static async Task<Ok<AbrpView>> GetAbrp(string vin, VehicleDirectory directory, AbrpSettings settings, AbrpForwarder forwarder,
        IOptionsMonitor<AbrpOptions> options, CancellationToken cancellationToken)
    {
        var entry = await directory.FindAsync(vin, cancellationToken);
        return TypedResults.Ok(View(entry.Vehicle.Vin, settings, forwarder, options.CurrentValue));
    }

    public static async Task<Results<Ok<AbrpView>, ValidationProblem>> SetAbrp(string vin, AbrpRequest request, VehicleDirectory directory,
        AbrpSettings settings, AbrpForwarder forwarder, IOptionsMonitor<AbrpOptions> options, CancellationToken cancellationToken)
    {
        var entry = await directory.FindAsync(vin, cancellationToken);
        var keepsToken = request.Token is null ? settings.For(entry.Vehicle.Vin).Token : request.Token.Length > 0 ? request.Token : settings.OwnerToken;
        if (request.Enabled == true && string.IsNullOrEmpty(keepsToken))
        {
            return (ValidationProblem)Validation.Problem("token", "ABRP needs the car's user token (ABRP app: car settings, Live data, generic) to accept its data.");
        }

        await settings.SetCarAsync(entry.Vehicle.Vin, request.Enabled!.Value, request.Token, cancellationToken);
        return TypedResults.Ok(View(entry.Vehicle.Vin, settings, forwarder, options.CurrentValue));
    }

    private static AbrpView View(string vin, AbrpSettings settings, AbrpForwarder forwarder, AbrpOptions options)
    {
        var (enabled, token) = settings.For(vin);
        var state = forwarder.StateOf(vin);
        return new AbrpView(vin, enabled, !string.IsNullOrEmpty(token), !string.IsNullOrEmpty(options.ApiKey), state?.LastReadingAt,
            state?.LastSentAt, state?.LastError);
    }
}
