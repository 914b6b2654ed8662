package org.incipit.autograd;

/** A tape entry: the op that produced a tensor, its backward rule and its inputs. */
record Node(String op, BackwardRule rule, Tensor[] inputs) {}
