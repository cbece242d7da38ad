;; The secret scanner's keyword search over ASCII bytes: what detector.ts's nextKeyword does, as
;; WebAssembly, because this loop is most of a workspace scan's time and runs about twice as fast
;; here as in JavaScript. `npm run build:wasm` assembles it into keyword-search-wasm.ts; a test
;; checks that file is current, and another that both searches find the same keywords.
;;
;; The caller lays out memory:
;;   0 .. 256 KiB  one bit per (c0, c1, c2) ASCII trigram that starts a keyword, bit (c0<<14 | c1<<7 | c2)
;;   $pairs        64 KiB: a non-zero byte at (c0 | c1 << 8) when some keyword starts with c0 c1
;;   $next         the trie: u16 child of (node << 7 | character), 0 for none; both cases of a letter lead to the same child
;;   $ends         one byte per node, non-zero when a keyword ends there
;;   $out - 4      where the search writes the position to resume from
;;   $out          room for $cap hits of three i32: start, end, node
;;   $text         the text's bytes (all below 128), followed by four spare bytes
(module
  (memory (export "memory") 8)

  ;; Finds, from $from, the longest keyword at each position where one starts, resuming after
  ;; the end of each keyword found, until $cap hits are stored. Returns the number stored.
  (func (export "search")
    (param $text i32) (param $len i32) (param $from i32) (param $pairs i32)
    (param $next i32) (param $ends i32) (param $out i32) (param $cap i32)
    (result i32)
    (local $i i32) (local $last i32) (local $word i32) (local $index i32) (local $count i32)
    (local $node i32) (local $found i32) (local $end i32) (local $j i32) (local $slot i32)
    (local.set $i (local.get $from))
    ;; Keywords have at least three characters (detector.ts only uses this search then), so
    ;; none starts in the last two positions.
    (local.set $last (i32.sub (local.get $len) (i32.const 2)))
    (block $done
      (loop $scan
        (br_if $done (i32.ge_s (local.get $i) (local.get $last)))
        ;; Most positions fail here: one 16-bit load and one table byte.
        (if (i32.eqz (i32.load8_u (i32.add (local.get $pairs) (i32.load16_u (i32.add (local.get $text) (local.get $i))))))
          (then
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $scan)))
        ;; One unaligned little-endian load holds the trigram: c0 is its low byte.
        (local.set $word (i32.load (i32.add (local.get $text) (local.get $i))))
        (local.set $index
          (i32.or
            (i32.or
              (i32.shl (i32.and (local.get $word) (i32.const 127)) (i32.const 14))
              (i32.shl (i32.and (i32.shr_u (local.get $word) (i32.const 8)) (i32.const 127)) (i32.const 7)))
            (i32.and (i32.shr_u (local.get $word) (i32.const 16)) (i32.const 127))))
        (if (i32.and
              (i32.load8_u (i32.shr_u (local.get $index) (i32.const 3)))
              (i32.shl (i32.const 1) (i32.and (local.get $index) (i32.const 7))))
          (then
            ;; The longest keyword starting at $i, walking the trie.
            (local.set $node (i32.const 0))
            (local.set $found (i32.const 0))
            (local.set $j (local.get $i))
            (block $walked
              (loop $walk
                (br_if $walked (i32.ge_s (local.get $j) (local.get $len)))
                (local.set $node
                  (i32.load16_u
                    (i32.add (local.get $next)
                      (i32.shl
                        (i32.or (i32.shl (local.get $node) (i32.const 7))
                                (i32.load8_u (i32.add (local.get $text) (local.get $j))))
                        (i32.const 1)))))
                (br_if $walked (i32.eqz (local.get $node)))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (if (i32.load8_u (i32.add (local.get $ends) (local.get $node)))
                  (then
                    (local.set $found (local.get $node))
                    (local.set $end (local.get $j))))
                (br $walk)))
            (if (local.get $found)
              (then
                (local.set $slot (i32.add (local.get $out) (i32.mul (local.get $count) (i32.const 12))))
                (i32.store (local.get $slot) (local.get $i))
                (i32.store offset=4 (local.get $slot) (local.get $end))
                (i32.store offset=8 (local.get $slot) (local.get $found))
                (local.set $count (i32.add (local.get $count) (i32.const 1)))
                (local.set $i (local.get $end))
                (if (i32.ge_u (local.get $count) (local.get $cap))
                  (then
                    (i32.store (i32.sub (local.get $out) (i32.const 4)) (local.get $i))
                    (return (local.get $count))))
                (br $scan)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $scan)))
    (i32.store (i32.sub (local.get $out) (i32.const 4)) (local.get $len))
    (local.get $count))
)
