using EvGateway.Vehicles;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection;

namespace EvGateway.Tests.Vehicles;

public class ValidatorRegistrationTests
{
    [Fact]
    public async Task Every_validator_in_the_gateway_is_the_one_its_request_gets()
    {
        // Features name their validators themselves (no assembly scan): one left out would let its requests through unchecked.
        await using var app = await GatewayApp.StartAsync();
        var validators = typeof(Validation).Assembly.GetTypes()
            .Where(type => type is { IsAbstract: false, IsGenericTypeDefinition: false })
            .SelectMany(type => type.GetInterfaces()
                .Where(face => face.IsGenericType && face.GetGenericTypeDefinition() == typeof(IValidator<>))
                .Select(face => (Validator: type, Service: face)))
            .ToList();
        using var scope = app.Services.CreateScope();

        Assert.True(validators.Count >= 11, $"only {validators.Count} validators found");
        Assert.All(validators, found => Assert.IsType(found.Validator, scope.ServiceProvider.GetService(found.Service)));
    }
}
