namespace AgentMesh.Guardrails.Egress;

/// <summary>What the proxy did with a connection.</summary>
public enum EgressVerdict
{
    /// <summary>The destination is allowed and the proxy connected to it.</summary>
    Allowed,

    /// <summary>The destination is not allowed: refused with 403 and nothing was sent to it.</summary>
    Blocked,

    /// <summary>The destination is allowed but could not be reached (DNS, refused, timeout): answered 502.</summary>
    Unreachable,
}
