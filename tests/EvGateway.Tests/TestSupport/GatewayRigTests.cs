using System.Text.RegularExpressions;
using EvGateway.Manufacturers.Psa;
using EvGateway.Manufacturers.Renault;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EvGateway.Tests.TestSupport;

/// <summary>The rig itself: a gateway over stand-in cars must not drift from Program's composition.</summary>
public class GatewayRigTests
{
    // A maker brings its own account routes; they are all a gateway without makers may lack.
    private static readonly Regex MakerAccountRoute =
        new($" /api/accounts/({RenaultProvider.MakerName}|{PsaProvider.MakerName})/", RegexOptions.IgnoreCase);

    [Fact]
    public async Task The_gateway_over_stand_in_cars_serves_every_route_program_serves_but_the_makers_own()
    {
        using var data = new TemporaryDirectory();
        await using var whole = await GatewayApp.StartAsync();
        await using var overStandIns = await GatewayApp.StartOverStandInsAsync(new FakeTimeProvider(), data.Path, []);

        var program = Routes(whole);
        var standIn = Routes(overStandIns);

        Assert.All(program.Except(standIn), route => Assert.Matches(MakerAccountRoute, route));
        Assert.Empty(standIn.Except(program));
    }

    private static string[] Routes(GatewayApp app) =>
    [
        .. app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(endpoint =>
                $"{string.Join(',', endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])} {endpoint.RoutePattern.RawText}"),
    ];
}
