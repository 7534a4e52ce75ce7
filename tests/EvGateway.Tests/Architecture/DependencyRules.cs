using System.Reflection;
using System.Reflection.Emit;

namespace EvGateway.Tests.Architecture;

/// <summary>
/// design.md's dependency rules, held against the compiled code: every type a type touches (base types, members'
/// signatures, attributes and the instructions of its method bodies) is attributed to a part of the gateway by its
/// namespace, and each reference that crosses a forbidden line is reported as "A references B (why)".
/// Parts under <c>root</c>: <c>Vehicles</c> is the core; <c>Manufacturers.X</c> is a maker; Legacy, Charging, Accounts,
/// HomeAutomation, History and Web are features; <c>Hosting</c> composes; the simulator assembly is its own part.
/// </summary>
public sealed class DependencyRules(string root, string simulatorRoot = "EvGateway.Simulator")
{
    private static readonly HashSet<string> Features = ["Legacy", "Charging", "Accounts", "HomeAutomation", "History", "Web"];

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (OpCode)field.GetValue(null)!)
        .ToDictionary(code => code.Value);

    private const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static
                                            | BindingFlags.DeclaredOnly;

    /// <summary>Every forbidden reference made by the types of <paramref name="assembly"/> under the root namespace.</summary>
    public IReadOnlyList<string> Violations(Assembly assembly)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var type in assembly.GetTypes())
        {
            var owner = Outermost(type);
            var from = PartOf(owner.Namespace);
            if (from is null)
            {
                continue;
            }

            foreach (var used in References(type))
            {
                var target = Outermost(used);
                var to = PartOf(target.Namespace);
                if (to is not null && Why(from, to, owner) is { } why)
                {
                    found.Add($"{owner.FullName} references {target.FullName} ({why})");
                }
            }
        }

        return found.ToList();
    }

    private string? PartOf(string? ns)
    {
        if (ns is null)
        {
            return null;
        }

        if (ns == simulatorRoot || ns.StartsWith(simulatorRoot + ".", StringComparison.Ordinal))
        {
            return "Simulator";
        }

        if (!ns.StartsWith(root + ".", StringComparison.Ordinal))
        {
            return null;
        }

        var bits = ns[(root.Length + 1)..].Split('.');
        return bits[0] == "Manufacturers" && bits.Length > 1 ? "Maker:" + bits[1] : bits[0];
    }

    private static string? Why(string from, string to, Type owner)
    {
        if (from == to)
        {
            return null;
        }

        if (from == "Vehicles")
        {
            return $"the core references {Describe(to)}";
        }

        if (from.StartsWith("Maker:", StringComparison.Ordinal) && to != "Vehicles")
        {
            return $"{Describe(from)} references {Describe(to)}; a maker references the core only";
        }

        if (Features.Contains(from) && (to.StartsWith("Maker:", StringComparison.Ordinal) || to == "Manufacturers"))
        {
            return $"feature {from} references {Describe(to)}; a feature references no maker";
        }

        if (to == "Simulator" && from != "Simulator" && !owner.Name.Contains("Demo", StringComparison.Ordinal))
        {
            return $"{Describe(from)} references the simulator outside demo mode";
        }

        return null;
    }

    private static string Describe(string part) => part.StartsWith("Maker:", StringComparison.Ordinal) ? "maker " + part[6..] : part;

    // Closures, iterators and async state machines are nested in the type whose code they hold.
    private static Type Outermost(Type type)
    {
        while (type.IsNested && type.DeclaringType is { } declaring)
        {
            type = declaring;
        }

        return type.IsGenericType && !type.IsGenericTypeDefinition ? type.GetGenericTypeDefinition() : type;
    }

    private static IEnumerable<Type> References(Type type)
    {
        var seen = new HashSet<Type>();
        void Add(Type? candidate)
        {
            if (candidate is null || !seen.Add(candidate))
            {
                return;
            }

            if (candidate.HasElementType)
            {
                Add(candidate.GetElementType());
            }

            if (candidate.IsGenericType)
            {
                foreach (var argument in candidate.GetGenericArguments())
                {
                    Add(argument);
                }
            }
        }

        Add(type.BaseType);
        foreach (var implemented in type.GetInterfaces())
        {
            Add(implemented);
        }

        foreach (var attribute in type.GetCustomAttributesData())
        {
            Add(attribute.AttributeType);
        }

        foreach (var field in type.GetFields(Everything))
        {
            Add(field.FieldType);
        }

        foreach (var property in type.GetProperties(Everything))
        {
            Add(property.PropertyType);
        }

        foreach (var @event in type.GetEvents(Everything))
        {
            Add(@event.EventHandlerType);
        }

        foreach (var method in type.GetMethods(Everything).Cast<MethodBase>().Concat(type.GetConstructors(Everything)))
        {
            if (method is MethodInfo info)
            {
                Add(info.ReturnType);
            }

            foreach (var parameter in method.GetParameters())
            {
                Add(parameter.ParameterType);
            }

            foreach (var used in UsedInBody(method))
            {
                Add(used);
            }
        }

        return seen;
    }

    // Walks the method's IL and resolves every type, field and method token it names.
    private static IEnumerable<Type> UsedInBody(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            yield break;
        }

        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var at = 0; at < il.Length;)
        {
            var value = il[at] == 0xFE && at + 1 < il.Length ? (short)(0xFE00 | il[at + 1]) : il[at];
            at += value > 0xFF || value < 0 ? 2 : 1;
            if (!OpCodesByValue.TryGetValue(value, out var code))
            {
                yield break;
            }

            switch (code.OperandType)
            {
                case OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok:
                    var member = Resolve(method.Module, BitConverter.ToInt32(il, at), typeArguments, methodArguments);
                    at += 4;
                    if (member is Type named)
                    {
                        yield return named;
                    }
                    else if (member?.DeclaringType is { } owner)
                    {
                        yield return owner;
                        if (member is MethodInfo { ReturnType: var returned })
                        {
                            yield return returned;
                        }
                    }

                    break;
                case OperandType.InlineSwitch:
                    at += 4 + (4 * BitConverter.ToInt32(il, at));
                    break;
                default:
                    at += OperandSize(code.OperandType);
                    break;
            }
        }
    }

    private static MemberInfo? Resolve(Module module, int token, Type[]? typeArguments, Type[]? methodArguments)
    {
        try
        {
            return module.ResolveMember(token, typeArguments, methodArguments);
        }
        catch (Exception failure) when (failure is ArgumentException or BadImageFormatException or TypeLoadException)
        {
            return null;
        }
    }

    private static int OperandSize(OperandType operand) => operand switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        _ => 4,
    };
}
