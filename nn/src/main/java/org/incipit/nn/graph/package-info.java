/**
 * Graph neural networks on sparse message passing: {@link org.incipit.nn.graph.Graph} (an edge
 * index (2, E), optional edge weights, self loops, the symmetric normalisation
 * D̃^(−½)(A + I)D̃^(−½) and {@code propagate}/{@code aggregate} built on {@code indexSelect} and
 * {@code indexAdd}) and the layers {@link org.incipit.nn.graph.GCNConv},
 * {@link org.incipit.nn.graph.SAGEConv} and {@link org.incipit.nn.graph.GINConv}, each a
 * {@link org.incipit.nn.graph.GraphLayer} called as {@code forward(x, graph)}.
 *
 * <p>Names, parameter paths and default initializations follow PyTorch Geometric, so a state dict
 * maps one to one and initializers can target the weights by path (GCN {@code lin.weight}, SAGE
 * {@code lin_l.weight}/{@code lin_r.weight}, GIN {@code mlp.0.weight} … {@code mlp.K.weight}).
 * Graphs are immutable values; layers keep no graph between calls. Depends on
 * {@code org.incipit.nn} (and through it init, autograd and tensor).
 */
package org.incipit.nn.graph;
