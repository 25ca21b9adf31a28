// Package check holds the checkers of building H₂O (package
// problems/h2o): props.Property values over traces of h2o.Event, named
// after what they check. Properties returns them all; the property
// tests run them over random runs and schedules, and the narrated
// command over its run.
package check

import (
	"fmt"

	"github.com/gochord/chord/problems/h2o"
	"github.com/gochord/chord/props"
)

// Names of the H₂O properties, as they appear in Violations.
const (
	CompositionName = "h2o/composition"
	ReleaseName     = "h2o/released-together"
	AllFormedName   = "h2o/all-molecules-formed"
)

// Properties returns the properties every trace of a run of cfg must
// have:
//
//   - Composition: each molecule is two distinct hydrogens and one
//     oxygen, each of which had arrived and had not bonded before;
//   - Release: an atom leaves only after its molecule formed, with that
//     molecule, once;
//   - AllFormed: the run forms every molecule its atoms allow
//     (cfg.Molecules()), and every other atom goes home unbonded. A
//     deadlocked run (the Greedy mistake, ended by its context) fails it,
//     quoting the atoms that bonding sites took and held.
func Properties(cfg h2o.Config) []props.Property[h2o.Event] {
	return []props.Property[h2o.Event]{Composition(), Release(), AllFormed(cfg)}
}

// Composition is the property that each Bond takes exactly two distinct
// hydrogens and one oxygen, each of which arrived earlier and had not
// bonded before.
func Composition() props.Property[h2o.Event] {
	const name = CompositionName
	return props.Property[h2o.Event]{Name: name, Check: func(tr []h2o.Event) *props.Violation {
		arrived := map[h2o.Atom]h2o.Event{}
		bonded := map[h2o.Atom]h2o.Event{}
		for _, e := range tr {
			switch e.Kind {
			case h2o.Arrive:
				arrived[e.Atom] = e
			case h2o.Bond:
				var n [2]int
				for _, a := range e.Atoms {
					if a.Elem > h2o.O {
						return props.Violate(name, fmt.Sprintf("molecule %d has an atom of no known element", e.Molecule), e)
					}
					n[a.Elem]++
					if _, ok := arrived[a]; !ok {
						return props.Violate(name, fmt.Sprintf("molecule %d takes %v, which never arrived", e.Molecule, a), e)
					}
					if b, ok := bonded[a]; ok {
						return props.Violate(name, fmt.Sprintf("%v bonds twice", a), b, e)
					}
					bonded[a] = e
				}
				if n[h2o.H] != 2 || n[h2o.O] != 1 {
					return props.Violate(name, fmt.Sprintf("molecule %d is H%dO%d; want H2O", e.Molecule, n[h2o.H], n[h2o.O]), e)
				}
			}
		}
		return nil
	}}
}

// Release is the property that each Leave follows the Bond of its
// molecule, names an atom of it, and comes once per atom: an atom is
// released with its group, the molecule (props.ReleasedWithGroup).
func Release() props.Property[h2o.Event] {
	return props.ReleasedWithGroup(ReleaseName,
		func(e h2o.Event) (int, []h2o.Atom, bool) { return e.Molecule, e.Atoms, e.Kind == h2o.Bond },
		func(e h2o.Event) (int, h2o.Atom, bool) { return e.Molecule, e.Atom, e.Kind == h2o.Leave })
}

// AllFormed is the property that a run of cfg forms cfg.Molecules()
// molecules and every atom either leaves in one or goes home unbonded.
func AllFormed(cfg h2o.Config) props.Property[h2o.Event] {
	const name = AllFormedName
	return props.Property[h2o.Event]{Name: name, Check: func(tr []h2o.Event) *props.Violation {
		bonds := 0
		ended := map[h2o.Atom]bool{}
		held := map[h2o.Atom]h2o.Event{} // Took, until the atom's Bond
		var order []h2o.Atom
		for _, e := range tr {
			switch e.Kind {
			case h2o.Bond:
				bonds++
				for _, a := range e.Atoms {
					delete(held, a)
				}
			case h2o.Took:
				held[e.Atom] = e
				order = append(order, e.Atom)
			case h2o.Leave, h2o.Unbonded:
				ended[e.Atom] = true
			}
		}
		if bonds != cfg.Molecules() {
			var quote []h2o.Event
			for _, a := range order {
				if e, ok := held[a]; ok && len(quote) < 8 {
					quote = append(quote, e)
				}
			}
			why := fmt.Sprintf("%d molecules formed of the %d that %d H and %d O allow", bonds, cfg.Molecules(), cfg.Hydrogen, cfg.Oxygen)
			if len(quote) > 0 {
				why += "; these atoms were taken by bonding sites that then waited for the rest, holding them:"
			}
			return props.Violate(name, why, quote...)
		}
		if n := len(ended); n != cfg.Hydrogen+cfg.Oxygen {
			return props.Violate[h2o.Event](name, fmt.Sprintf("%d of %d atoms left or went home", n, cfg.Hydrogen+cfg.Oxygen))
		}
		return nil
	}}
}
