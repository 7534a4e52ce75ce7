using EvGateway.Tests.Architecture.Fixtures.Vehicles;

namespace EvGateway.Tests.Architecture;

public class DependencyRuleTests
{
    [Fact]
    public void The_gateway_keeps_design_md_dependency_rules()
    {
        var violations = new DependencyRules("EvGateway").Violations(typeof(Program).Assembly);

        Assert.True(violations.Count == 0, "Dependency rules broken:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void The_rules_name_the_offending_type_and_what_it_references()
    {
        var violations = new DependencyRules("EvGateway.Tests.Architecture.Fixtures", "EvGateway.Tests.Architecture.Fixtures.Simulator")
            .Violations(typeof(CoreThatReachesIntoHosting).Assembly);

        Assert.Equal(
        [
            "EvGateway.Tests.Architecture.Fixtures.Charging.FeatureThatCallsAMaker references EvGateway.Tests.Architecture.Fixtures.Manufacturers.Renault.MakerThatUsesCharging (feature Charging references maker Renault; a feature references no maker)",
            "EvGateway.Tests.Architecture.Fixtures.Hosting.HostingThatStartsTheSimulator references EvGateway.Tests.Architecture.Fixtures.Simulator.SimulatedCloud (Hosting references the simulator outside demo mode)",
            "EvGateway.Tests.Architecture.Fixtures.Manufacturers.Renault.MakerThatUsesCharging references EvGateway.Tests.Architecture.Fixtures.Charging.FeatureThatCallsAMaker (maker Renault references Charging; a maker references the core only)",
            "EvGateway.Tests.Architecture.Fixtures.Vehicles.CoreThatReachesIntoHosting references EvGateway.Tests.Architecture.Fixtures.Hosting.HostingThatStartsTheSimulator (the core references Hosting)",
        ], violations);
    }
}
